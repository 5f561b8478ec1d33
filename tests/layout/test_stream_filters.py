"""Stream filters without process-wide settings: the leaflet's streams are compressed but not ASCII85,
and building never writes to reportlab's ``rl_config`` (issue 9.3: no patched module globals)."""

from __future__ import annotations

import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from reportlab import rl_config

from leaflet import BuildOptions, build_leaflet, load_monograph
from tests.conftest import SAMPLE


class _WatchedModule(types.ModuleType):
    """A module that records every attribute written to it."""

    writes: list[str]

    def __setattr__(self, name: str, value: object) -> None:
        if name != "writes":
            self.writes.append(name)
        super().__setattr__(name, value)


@pytest.fixture
def watched_rl_config() -> Iterator[list[str]]:
    writes: list[str] = []
    object.__setattr__(rl_config, "writes", writes)
    rl_config.__class__ = _WatchedModule
    try:
        yield writes
    finally:
        rl_config.__class__ = types.ModuleType
        del rl_config.writes


def test_build_never_writes_reportlab_settings(watched_rl_config: list[str]) -> None:
    """This test ensures that building a leaflet writes no setting of reportlab's process-wide
    ``rl_config`` (issue 9.3: ``useA85`` was flipped for the build, racing with other threads)."""
    build_leaflet(load_monograph(SAMPLE), BuildOptions())
    assert watched_rl_config == []


def test_streams_are_not_ascii85_whatever_rl_config_says() -> None:
    """This test ensures that the streams of leaflets built in several threads at once are compressed
    and never ASCII85-armoured, with reportlab's process-wide default (armoured) left as it is."""
    assert rl_config.useA85
    monograph = load_monograph(SAMPLE)
    with ThreadPoolExecutor(4) as pool:
        pdfs = list(pool.map(lambda _: build_leaflet(monograph, BuildOptions()).pdf, range(8)))
    assert len(set(pdfs)) == 1
    assert b"/ASCII85Decode" not in pdfs[0] and b"/FlateDecode" in pdfs[0]
    assert rl_config.useA85
