"""Helpers shared by the ``leaflet check`` tests: fixture paths, writing monographs, running the rules."""

from __future__ import annotations

from pathlib import Path

from leaflet.check.rules import CheckOptions, Finding, check_file
from tests.conftest import FIXTURES

CHECK = FIXTURES / "check"
CLEAN_YAML = CHECK / "clean.yaml"
CLEAN_TXT = CHECK / "clean.txt"
WARNINGS_ONLY = CHECK / "warnings_only.yaml"
NESTED = CHECK / "nested"

HEAD = "title: Calmofen\nlanguage: en\nrevised: '2024-05-01'\n"
"""The required keys but 'body', for YAML written inside a test (the title is on line 1)."""

CLEAN_BODY = """\
body:
  - heading: What is Calmofen?
    body:
      - Calmofen is a medicine for pain.
  - heading: How to take Calmofen
    body:
      - Take one tablet with water.
      - warning: If you take too much
        body:
          - Call your doctor right away.
  - heading: Side effects
    body:
      - You may feel sleepy.
  - heading: Who should not take Calmofen
    body:
      - Do not take it if you are pregnant.
"""
"""A body that passes every rule with the basic profile; tests append sections to it (from line 20)."""


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` as UTF-8 and return the path."""
    path.write_text(text, encoding="utf-8")
    return path


def findings(path: Path, **options: object) -> list[Finding]:
    """Every finding about the monograph at ``path`` with ``options``."""
    return check_file(path, CheckOptions(**options))  # type: ignore[arg-type]


def of_rule(found: list[Finding], rule: str) -> list[Finding]:
    """The findings of ``rule``."""
    return [finding for finding in found if finding.rule == rule]
