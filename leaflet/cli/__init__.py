"""The command line: parses arguments, calls the library, prints diagnostics, maps outcomes to exit
statuses. The only package that prints or exits; nothing else imports it."""

from leaflet.cli.main import entry_point, main

__all__ = ["entry_point", "main"]
