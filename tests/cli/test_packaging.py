"""The wheel: it carries the fonts, their licence and the schema, and works without the checkout."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.cli.helpers import GOOD_YAML
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

FONT_FACES = ("Regular", "Bold", "Italic", "BoldItalic")
REQUIRED = (
    *(f"leaflet/fonts/NotoSans-{face}.ttf" for face in FONT_FACES),
    "leaflet/fonts/OFL.txt",
    "leaflet/schema/monograph.schema.json",
    "leaflet/__main__.py",
)

CHECK = """
import json, sys
sys.path[:0] = [{unzipped!r}, *{site!r}]
import leaflet, leaflet.text.fonts
from leaflet.cli.main import main
code = main(["build", "-q", {source!r}, "-o", {out!r}])
print(json.dumps({{
    "leaflet": leaflet.__file__,
    "font_dir": str(leaflet.text.fonts.font_dir()),
    "code": code,
    "path": sys.path,
}}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the checkout with the installed build backend (no network)."""
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not installed here, so the wheel cannot be built without network access")
    folder = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = folder.glob("leaflet-*.whl")
    return built


def test_wheel_carries_fonts_licence_and_schema(wheel: Path) -> None:
    """This test ensures that the wheel contains the four Noto Sans faces, their OFL licence, the JSON
    schema and the console-script entry point."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode("utf-8")
        for name in REQUIRED:
            assert name in names, f"{name} is missing from {wheel.name}"
        for face in FONT_FACES:
            assert (
                archive.read(f"leaflet/fonts/NotoSans-{face}.ttf")
                == (ROOT / "fonts" / f"NotoSans-{face}.ttf").read_bytes()
            )
        json.loads(archive.read("leaflet/schema/monograph.schema.json"))
    assert "leaflet = leaflet.cli:entry_point" in scripts


def test_unpacked_wheel_works_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """This test ensures that the package unpacked from the wheel, imported with the checkout off
    sys.path (python -I -S, no .pth files), finds its fonts inside itself and builds a leaflet."""
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unzipped)
    work = tmp_path / "work"
    work.mkdir()
    source = work / "good.yaml"
    source.write_bytes(GOOD_YAML.read_bytes())
    out = work / "good.pdf"
    site = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    code = CHECK.format(unzipped=str(unzipped), site=site, source=str(source), out=str(out))
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], cwd=work, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.splitlines()[-1])
    assert Path(facts["leaflet"]).is_relative_to(unzipped)
    assert Path(facts["font_dir"]) == unzipped / "leaflet" / "fonts"
    assert not any(Path(entry).resolve() == ROOT for entry in facts["path"] if entry)
    assert facts["code"] == 0
    assert out.read_bytes().startswith(b"%PDF-")
