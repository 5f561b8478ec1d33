"""The HTTP service (``leaflet serve``): leaflets, packets and checks for pharmacy systems.

Needs the ``service`` extra (FastAPI, uvicorn, python-multipart, prometheus-client); nothing else in
leaflet imports this package, and the command line imports it only for ``serve``.
"""
