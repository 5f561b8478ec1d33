"""``python -m leaflet``: the command line."""

from leaflet.cli import entry_point

entry_point()
