"""Tests of incremental library builds (``leaflet build FOLDER -o OUT``): only what changed is rebuilt."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from leaflet.cli.main import main
from leaflet.jobs.leaflet_job import section_digests
from leaflet.jobs.library import STATE_NAME, snapshot, wait_for_change
from leaflet.loaders import load_monograph
from tests.conftest import MONOGRAPHS, SAMPLE

SOURCES = [SAMPLE, MONOGRAPHS / "greek.yaml", MONOGRAPHS / "baclofen.txt"]


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path]:
    """A content folder of three monographs (one in a sub-folder) and an output folder."""
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    shutil.copy(SOURCES[0], content / "baclofen.yaml")
    shutil.copy(SOURCES[1], content / "sub" / "greek.yaml")
    shutil.copy(SOURCES[2], content / "seed.txt")
    return content, tmp_path / "out"


def build(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, list[str]]:
    code = main(["build", *map(str, args)])
    return code, capsys.readouterr().out.splitlines()


def fingerprints(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*.pdf"))}


def test_a_second_build_rewrites_nothing(capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]) -> None:
    """This test ensures that building again with nothing changed leaves every PDF with the same bytes
    and the same mtime, and says so in the summary."""
    content, out = library
    code, lines = build(capsys, content, "-o", out)
    assert code == 0 and lines[-1] == "3 rebuilt, 0 unchanged, 0 failed"
    assert sorted(fingerprints(out)) == ["baclofen.pdf", "seed.pdf", "sub/greek.pdf"]
    before = fingerprints(out)
    code, lines = build(capsys, content, "-o", out)
    assert code == 0 and lines == ["0 rebuilt, 3 unchanged, 0 failed"]
    assert fingerprints(out) == before


def test_an_edit_rebuilds_that_leaflet_only_and_names_the_section(
    capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]
) -> None:
    """This test ensures that editing one sentence rebuilds only that leaflet, and the summary names
    the section the edit touched."""
    content, out = library
    build(capsys, content, "-o", out)
    before = fingerprints(out)
    source = content / "baclofen.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Severe drowsiness", "Very severe drowsiness"))
    code, lines = build(capsys, content, "-o", out)
    assert code == 0
    assert lines == [
        f"rebuilt {out / 'baclofen.pdf'} (edited 'Dosages / Overdose Caution')",
        "1 rebuilt, 2 unchanged, 0 failed",
    ]
    after = fingerprints(out)
    assert after["seed.pdf"] == before["seed.pdf"] and after["sub/greek.pdf"] == before["sub/greek.pdf"]
    assert after["baclofen.pdf"] != before["baclofen.pdf"]


def test_sections_added_and_removed_are_named(capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]) -> None:
    """This test ensures that adding and removing a section is reported as such."""
    content, out = library
    build(capsys, content, "-o", out)
    source = content / "baclofen.yaml"
    text = source.read_text(encoding="utf-8").replace("  - heading: Chemical Composition", "  - heading: Composition")
    source.write_text(text + "  - heading: Storage\n    body:\n      - Keep it dry.\n", encoding="utf-8")
    _, lines = build(capsys, content, "-o", out)
    assert lines[0] == (
        f"rebuilt {out / 'baclofen.pdf'} (added 'Composition', 'Storage'; removed 'Chemical Composition')"
    )


def test_options_force_and_hand_deleted_outputs_rebuild(
    capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]
) -> None:
    """This test ensures that other options rebuild everything, --force rebuilds everything, and an
    output deleted or changed by hand is rebuilt."""
    content, out = library
    build(capsys, content, "-o", out)
    assert build(capsys, content, "-o", out, "--paper", "letter")[1][-1] == "3 rebuilt, 0 unchanged, 0 failed"
    assert build(capsys, content, "-o", out, "--paper", "letter", "--force")[1][-1] == (
        "3 rebuilt, 0 unchanged, 0 failed"
    )
    (out / "seed.pdf").unlink()
    (out / "baclofen.pdf").write_bytes(b"%PDF-1.4 damaged")
    assert build(capsys, content, "-o", out, "--paper", "letter")[1][-1] == "2 rebuilt, 1 unchanged, 0 failed"
    assert (out / "baclofen.pdf").read_bytes().startswith(b"%PDF-1.")


def test_orphans_are_listed_and_pruned_only_when_asked(
    capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]
) -> None:
    """This test ensures that a leaflet whose content file disappeared is listed and kept, and removed
    (with its state) only with --prune."""
    content, out = library
    build(capsys, content, "-o", out)
    (content / "seed.txt").unlink()
    _, lines = build(capsys, content, "-o", out)
    assert f"orphaned {out / 'seed.pdf'}: its content file is gone (--prune removes it)" in lines
    assert (out / "seed.pdf").exists()
    _, lines = build(capsys, content, "-o", out, "--prune")
    assert f"removed {out / 'seed.pdf'}" in lines
    assert not (out / "seed.pdf").exists()
    assert "seed.pdf" not in json.loads((out / STATE_NAME).read_text())["outputs"]


def test_a_damaged_state_is_repaired(capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]) -> None:
    """This test ensures that a damaged or missing state (e.g. a build killed half way) only costs a
    rebuild: the next build rebuilds and writes a sound state again."""
    content, out = library
    build(capsys, content, "-o", out)
    (out / STATE_NAME).write_text("{not json", encoding="utf-8")
    assert build(capsys, content, "-o", out)[1][-1] == "3 rebuilt, 0 unchanged, 0 failed"
    assert build(capsys, content, "-o", out)[1][-1] == "0 rebuilt, 3 unchanged, 0 failed"


def test_failures_are_reported_and_retried(capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]) -> None:
    """This test ensures that a bad monograph fails with file:line, keeps its previous PDF, and is
    tried again on the next build (a failure is never recorded as up to date)."""
    content, out = library
    build(capsys, content, "-o", out)
    before = (out / "baclofen.pdf").read_bytes()
    (content / "baclofen.yaml").write_text("title: x\nbdy: []\n", encoding="utf-8")
    code = main(["build", str(content), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out.splitlines()[-1] == "0 rebuilt, 2 unchanged, 1 failed"
    assert f"{content / 'baclofen.yaml'}:2:1: error[yaml-unknown-key]: unknown key 'bdy'" in captured.err
    assert (out / "baclofen.pdf").read_bytes() == before
    code, _ = build(capsys, content, "-o", out)
    assert code == 2


def test_parallel_build_gives_the_same_pdfs(capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]) -> None:
    """This test ensures that --jobs 2 builds the same bytes as one process."""
    content, out = library
    build(capsys, content, "-o", out)
    single = {name: data for name, (data, _) in fingerprints(out).items()}
    parallel_out = out.parent / "parallel"
    code, lines = build(capsys, content, "-o", parallel_out, "--jobs", "2")
    assert code == 0 and lines[-1] == "3 rebuilt, 0 unchanged, 0 failed"
    assert {name: data for name, (data, _) in fingerprints(parallel_out).items()} == single


def test_two_builds_at_once_leave_whole_pdfs_and_a_sound_state(library: tuple[Path, Path]) -> None:
    """This test ensures that two builds started at once into the same folder both succeed, every PDF
    is whole and the state is valid JSON naming every leaflet."""
    content, out = library
    command = [sys.executable, "-m", "leaflet", "build", str(content), "-o", str(out), "-q"]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE) for _ in range(2)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    state = json.loads((out / STATE_NAME).read_text())["outputs"]
    assert sorted(state) == ["baclofen.pdf", "seed.pdf", "sub/greek.pdf"]
    for name in state:
        data = (out / name).read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_section_digests_follow_the_heading_paths() -> None:
    """This test ensures that every section has a digest under its heading path."""
    digests = section_digests(load_monograph(SAMPLE))
    assert "Dosages / Overdose Caution" in digests and "(introduction)" in digests and "(title)" in digests


def test_section_digests_see_tables_steps_figures_and_notices() -> None:
    """This test ensures that a section's digest changes when one of its table cells, step numbers, nested
    items, pictures or notices changes (so the library rebuilds it), and that a plain paragraph or
    bulleted list keeps the digest it had before these blocks existed."""
    from dataclasses import replace

    from leaflet.model import BulletList, Cell, Figure, ListItem, Notice, Paragraph, Run, Table

    base = load_monograph(SAMPLE)
    table = Table(((Cell((Run("5 mg"),)),),))
    steps = BulletList((ListItem((Run("a"),), sublist=BulletList((Paragraph((Run("b"),)),))),), ordered=True)
    figure = Figure(b"\x89PNG one", "Pen", "png", 1, 1)
    notice = Notice((Run("Keep out of reach"),))
    blocks = (table, steps, figure, notice)
    changed = (  # (which block, its edited form)
        (0, Table(((Cell((Run("10 mg"),)),),))),
        (1, replace(steps, start=2)),
        (1, replace(steps, items=(ListItem((Run("a"),), sublist=BulletList((Paragraph((Run("c"),)),))),))),
        (2, replace(figure, data=b"\x89PNG two")),
        (3, replace(notice, kind="additional-monitoring")),
    )
    digest = section_digests(replace(base, body=blocks))["(introduction)"]
    for slot, other in changed:
        edited = (*blocks[:slot], other, *blocks[slot + 1 :])
        assert section_digests(replace(base, body=edited))["(introduction)"] != digest, other
    plain = (Paragraph((Run("x"),)), BulletList((Paragraph((Run("y"),)),), lead=Paragraph((Run("z"),))))
    expected = hashlib.sha256(repr([plain[0].runs, ((Run("z"),), [(Run("y"),)])]).encode()).hexdigest()[:16]
    assert section_digests(replace(base, body=plain))["(introduction)"] == expected


def test_watch_notices_a_save_once_it_settles(tmp_path: Path) -> None:
    """This test ensures that the watcher returns after a monograph is saved, and stops when asked."""
    source = tmp_path / "a.yaml"
    source.write_text("title: a\n", encoding="utf-8")
    before = snapshot([tmp_path])

    def save_later() -> None:
        time.sleep(0.2)
        source.write_text("title: b, longer\n", encoding="utf-8")

    threading.Thread(target=save_later).start()
    deadline = time.monotonic() + 10
    changed = wait_for_change(
        [tmp_path], before, interval=0.05, settle=0.05, keep_waiting=lambda: time.monotonic() < deadline
    )
    assert changed is not None and changed != before
    assert wait_for_change([tmp_path], changed, interval=0.01, keep_waiting=lambda: False) is None


def test_hand_edited_state_entries_are_dropped_and_never_pruned_outside(
    capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]
) -> None:
    """This test ensures that state entries leaflet could not have written (wrong types, paths outside
    the output folder) are ignored: the build does not crash, and --prune deletes nothing outside OUT."""
    content, out = library
    build(capsys, content, "-o", out)
    victim = out.parent / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    state = json.loads((out / STATE_NAME).read_text())
    state["outputs"]["../victim.txt"] = {"source": "/nonexistent", "key": "k"}
    state["outputs"]["seed.pdf"] = 5
    state["outputs"]["baclofen.pdf"]["source"] = 7
    (out / STATE_NAME).write_text(json.dumps(state), encoding="utf-8")
    code, lines = build(capsys, content, "-o", out, "--prune")
    assert code == 0 and lines[-1] == "2 rebuilt, 1 unchanged, 0 failed"
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_an_output_folder_that_cannot_be_made_is_a_user_error(
    capsys: pytest.CaptureFixture[str], library: tuple[Path, Path]
) -> None:
    """This test ensures that an output folder that cannot be created is exit 2 with one message."""
    content, _ = library
    code = main(["build", str(content), "-o", "/proc/leaflet-cannot-be-here"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot create the output folder" in err and "Traceback" not in err


@pytest.mark.parametrize("flag", [["--force"], ["--prune"], ["--jobs", "2"]])
def test_folder_options_with_one_pdf_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: list[str]
) -> None:
    """This test ensures that an option that only means something for a folder of leaflets is an
    error with a .pdf output, rather than silently ignored."""
    code = main(["build", str(SAMPLE), "-o", str(tmp_path / "x.pdf"), *flag])
    assert code == 2 and "applies to a folder of leaflets" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_a_crash_in_a_library_build_shows_its_traceback_with_verbose(
    capsys: pytest.CaptureFixture[str], library: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a bug hit while building a library is exit 70 with one line per input,
    and that --verbose adds the traceback (as the README promises)."""
    content, out = library

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("leaflet.render.render_pdf", broken)
    assert main(["build", str(content), "-o", str(out)]) == 70
    quiet = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in quiet and "Traceback" not in quiet
    assert main(["build", str(content), "-o", str(out), "-v"]) == 70
    assert "Traceback" in capsys.readouterr().err
