"""Orders: leaflets attached to pharmacy order PDFs (``leaflet attach``), one packet per row of an
orders CSV (``leaflet orders``)."""
