"""Jobs and outcomes as JSON, for batches sent through a broker (``--engine celery``).

A broker's messages are read by every worker, so they are plain JSON rather than pickles: decoding a
message builds only the classes named in :data:`WIRE_CLASSES` (leaflet's jobs and the plain data they
carry), never runs code the message names. Dataclasses travel as ``{"$": "Name", field: value, ...}``,
paths as ``{"$path": "..."}``, tuples as ``{"$tuple": [...]}`` and mappings as ``{"$map": [[key,
value], ...]}``; lists, text, numbers, booleans and None as themselves. Bytes are refused: a task
carries paths and digests, never the files themselves.
"""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any

WIRE_CLASSES = {
    "LeafletJob": "leaflet.jobs.leaflet_job",
    "OrderJob": "leaflet.orders.batch",
    "BuildOptions": "leaflet.options",
    "Site": "leaflet.site",
    "PatientDetails": "leaflet.personalise.patient",
    "Outcome": "leaflet.jobs.model",
    "Diagnostic": "leaflet.errors",
}
"""The classes a message may hold, by name, with their module (imported when a message names them)."""


class WireError(ValueError):
    """A message that is not what leaflet sends (another program's, or a leaflet of another version)."""


def to_wire(value: Any) -> Any:
    """``value`` as JSON-ready data (see the module's description); TypeError for what cannot travel."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Path):
        return {"$path": str(value)}
    if isinstance(value, tuple):
        return {"$tuple": [to_wire(item) for item in value]}
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    if isinstance(value, dict):
        return {"$map": [[to_wire(key), to_wire(item)] for key, item in value.items()]}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and WIRE_CLASSES.get(name) == type(value).__module__:
        fields = {field.name: to_wire(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return {"$": name, **fields}
    raise TypeError(f"a {name} cannot be sent to a worker")


def from_wire(data: Any) -> Any:
    """The value :func:`to_wire` made ``data`` from; :class:`WireError` for anything else."""
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [from_wire(item) for item in data]
    if not isinstance(data, dict):
        raise WireError(f"unexpected {type(data).__name__}")
    if set(data) == {"$path"} and isinstance(data["$path"], str):
        return Path(data["$path"])
    if set(data) == {"$tuple"} and isinstance(data["$tuple"], list):
        return tuple(from_wire(item) for item in data["$tuple"])
    if set(data) == {"$map"} and isinstance(data["$map"], list):
        return {_hashable(from_wire(pair[0])): from_wire(pair[1]) for pair in _pairs(data["$map"])}
    return _instance(data)


def _instance(data: dict) -> Any:
    name = data.get("$")
    module = WIRE_CLASSES.get(name) if isinstance(name, str) else None
    if module is None:
        raise WireError(f"unknown kind {name!r}")
    cls = getattr(importlib.import_module(module), str(name))
    known = {field.name for field in dataclasses.fields(cls)}
    given = set(data) - {"$"}
    if not given <= known:
        raise WireError(f"{name} has no field {sorted(given - known)[0]!r}")
    try:
        return cls(**{key: from_wire(value) for key, value in data.items() if key != "$"})
    except TypeError as exc:
        raise WireError(f"{name}: {exc}") from None


def _pairs(items: list) -> list:
    if not all(isinstance(pair, list) and len(pair) == 2 for pair in items):
        raise WireError("a mapping's items are not pairs")
    return items


def _hashable(key: Any) -> Any:
    try:
        hash(key)
    except TypeError:
        raise WireError("a mapping's key is not hashable") from None
    return key
