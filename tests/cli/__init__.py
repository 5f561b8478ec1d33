"""Tests of the command line, the API's error behaviour, atomic output and packaging."""
