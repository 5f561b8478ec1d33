"""PDF: the syntax leaflet writes itself, PDFs from elsewhere read under bounds, and packets of an
order's pages and leaflets written without re-serialising what is cached.

``reading`` opens PDFs from other systems (size, page and time bounds, repairs); ``copier`` and
``parts`` turn what pypdf parsed into fragments; ``packet`` writes the packet file; ``syntax`` holds the
bits of PDF syntax the band and the packet writer share. The pipeline of :mod:`leaflet.orders.attach`
is: read the order -> copy its pages -> lay out each leaflet once (a template) -> draw the band per
order -> assemble.
"""
