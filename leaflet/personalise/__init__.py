"""Personalise: the patient's details (validated, never quoted in a message) and the band drawn with
them over page 1 of a leaflet, with its QR code and fonts."""
