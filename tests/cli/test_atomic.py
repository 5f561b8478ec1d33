"""Atomic output: a failed build leaves the previous PDF byte-identical and no temporary files."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.cli.helpers import GLYPHS_YAML, GOOD_YAML, SYNTAX_ERROR_YAML, copy, listing, run_cli, temp_files


@pytest.fixture
def built_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A monograph copied to ``tmp/in/baclofen.yaml`` and built once to ``tmp/out/baclofen.pdf``."""
    source = copy(GOOD_YAML, tmp_path / "in" / "baclofen.yaml")
    out = tmp_path / "out" / "baclofen.pdf"
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 0, result
    return source, out, out.read_bytes()


@pytest.mark.parametrize("breakage", [SYNTAX_ERROR_YAML, GLYPHS_YAML], ids=["yaml-syntax", "missing-glyph"])
def test_failed_rebuild_keeps_previous_pdf(
    capsys: pytest.CaptureFixture[str], built_once: tuple[Path, Path, bytes], breakage: Path
) -> None:
    """This test ensures that after a good build, breaking the input and building again is exit 2,
    leaves the previous PDF byte-identical and leaves no temporary file."""
    source, out, before = built_once
    copy(breakage, source)
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 2, result
    assert out.read_bytes() == before
    assert listing(out.parent) == ["baclofen.pdf"]


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), RuntimeError("crash")])
def test_crash_while_renaming_keeps_previous_pdf(
    capsys: pytest.CaptureFixture[str],
    built_once: tuple[Path, Path, bytes],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
) -> None:
    """This test ensures that a failure when the new PDF is moved into place (an OS error: exit 2; a
    crash: exit 70) leaves the previous PDF byte-identical and removes the temporary file."""
    source, out, before = built_once
    source.write_text(source.read_text(encoding="utf-8").replace("Testofen", "Changedofen"), encoding="utf-8")

    def failing_replace(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli(capsys, "build", source, "-o", out)
    monkeypatch.undo()
    assert result.code == (2 if isinstance(error, OSError) else 70), result
    assert "Traceback" not in result.err
    assert len(result.err_lines) == (2 if isinstance(error, OSError) else 1), result.err  # a user error has its total
    if isinstance(error, OSError):
        assert result.diagnostics()[0]["path"] == str(out)
    assert out.read_bytes() == before
    assert listing(out.parent) == ["baclofen.pdf"]


def test_crash_while_writing_keeps_previous_pdf(
    capsys: pytest.CaptureFixture[str], built_once: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a disk error while the new PDF is flushed (after some bytes went to the
    temporary file) is exit 2 naming OUT, with the previous PDF intact and no temporary file."""
    source, out, before = built_once
    source.write_text(source.read_text(encoding="utf-8").replace("Testofen", "Changedofen"), encoding="utf-8")

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = run_cli(capsys, "build", source, "-o", out)
    monkeypatch.undo()
    assert result.code == 2, result
    assert [e["path"] for e in result.diagnostics()] == [str(out)]
    assert out.read_bytes() == before
    assert listing(out.parent) == ["baclofen.pdf"]


def test_interrupt_while_writing_leaves_no_temp(
    capsys: pytest.CaptureFixture[str], built_once: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that Ctrl-C while the PDF is being written keeps the previous PDF and removes
    the temporary file."""
    source, out, before = built_once

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = run_cli(capsys, "build", source, "-o", out)
    monkeypatch.undo()
    assert result.code == 130, result
    assert out.read_bytes() == before
    assert temp_files(out.parent) == []


def test_successful_rebuild_replaces_the_pdf(
    capsys: pytest.CaptureFixture[str], built_once: tuple[Path, Path, bytes]
) -> None:
    """This test ensures that a good rebuild after a change replaces the PDF and leaves only it behind."""
    source, out, before = built_once
    source.write_text(source.read_text(encoding="utf-8").replace("Testofen", "Changedofen"), encoding="utf-8")
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 0, result
    assert out.read_bytes() != before
    assert out.read_bytes().startswith(b"%PDF-")
    assert listing(out.parent) == ["baclofen.pdf"]


def test_identical_rebuild_is_byte_identical(
    capsys: pytest.CaptureFixture[str], built_once: tuple[Path, Path, bytes]
) -> None:
    """This test ensures that building the same input again gives the same bytes (so 'byte-identical
    after a failure' is a meaningful check)."""
    source, out, before = built_once
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 0, result
    assert out.read_bytes() == before


def test_failed_batch_member_keeps_its_previous_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that in a batch, a monograph that breaks keeps its previous leaflet as it was
    while the others are rebuilt, and no temporary file is left in the output folder."""
    first = copy(GOOD_YAML, tmp_path / "in" / "a.yaml")
    second = copy(GOOD_YAML, tmp_path / "in" / "b.yaml")
    out = tmp_path / "out"
    assert run_cli(capsys, "build", first, second, "-o", out).code == 0
    before = (out / "b.pdf").read_bytes()
    copy(SYNTAX_ERROR_YAML, second)
    result = run_cli(capsys, "build", first, second, "-o", out)
    assert result.code == 2, result
    assert (out / "b.pdf").read_bytes() == before
    assert listing(out) == ["a.pdf", "b.pdf"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_new_leaflet_takes_the_umask_without_changing_it(tmp_path: Path, umask: int) -> None:
    """This test ensures that a new leaflet gets the mode the umask allows, read without changing the
    umask (``os.umask`` changes it for every thread a moment: issue 9, no process-global state)."""
    import subprocess
    import sys

    target = tmp_path / "new.pdf"
    script = (
        "import os, sys\nfrom pathlib import Path\n"
        f"os.umask({umask})\n"
        "import leaflet.build as build\n"
        "calls = []\nreal = os.umask\nos.umask = lambda mask: calls.append(mask) or real(mask)\n"
        f"build.write_atomically(Path({str(target)!r}), b'%PDF-1.7')\n"
        "sys.exit(len(calls))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"os.umask called {result.returncode} times; {result.stderr}"
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
