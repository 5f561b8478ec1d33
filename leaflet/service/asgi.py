"""The application factory uvicorn's worker processes call (``leaflet serve --workers N``): the
settings come from the environment the serving command set."""

from __future__ import annotations

import os

from fastapi import FastAPI

from leaflet.service.app import create_app
from leaflet.service.settings import SETTINGS_ENVIRONMENT, ServiceSettings


def app_from_environment() -> FastAPI:
    """The app with the settings ``leaflet serve`` left in ``$LEAFLET_SERVE_SETTINGS``."""
    return create_app(ServiceSettings.from_json(os.environ[SETTINGS_ENVIRONMENT]))
