"""``python -m leaflet``: the command line."""

from leaflet.cli.main import entry_point

entry_point()
