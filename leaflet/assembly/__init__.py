"""PDF assembly: packets of an order's pages and leaflets, written without re-serialising what is cached.

``parts`` reads PDFs (with pypdf) into fragments, ``packet`` writes the packet file. The pipeline of
:mod:`leaflet.orders` is: read the order -> copy its pages -> lay out each leaflet once (a template)
-> draw the band per order -> assemble.
"""
