"""Links are not followed where they could leak or overwrite (issue 10, item 4): sources found in a folder
stay in it, outputs and the state file are never written through a link, inputs are regular files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leaflet.jobs.library import STATE_NAME
from tests.cli.helpers import assert_user_error, run_cli
from tests.conftest import MONOGRAPHS, SAMPLE, SEED_TEXT


def test_a_link_out_of_the_content_folder_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a monograph in a folder that links to a file outside it (say /etc/passwd) is
    refused, naming the link, and nothing is built."""
    (tmp_path / "lib").mkdir()
    shutil.copy(SAMPLE, tmp_path / "lib" / "baclofen.yaml")
    shutil.copy(SEED_TEXT, tmp_path / "private.txt")
    (tmp_path / "lib" / "x.txt").symlink_to(tmp_path / "private.txt")
    result = run_cli(capsys, "build", tmp_path / "lib", "-o", tmp_path / "out")
    error = assert_user_error(result, mentions=str(tmp_path / "lib" / "x.txt"))
    assert f"is a link to a file outside {tmp_path / 'lib'}" in error["message"]
    assert not (tmp_path / "out").exists()


def test_links_planted_in_the_output_folder_are_replaced_not_written_through(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """This test ensures that a link planted in OUT in place of a leaflet or of the state file is replaced by
    the file, leaving what it pointed to untouched, and that a sub-folder of OUT linking out of it is an
    error for the leaflets to go there, with nothing written outside."""
    content, out, outside = tmp_path / "content", tmp_path / "out", tmp_path / "outside"
    (content / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE, content / "baclofen.yaml")
    shutil.copy(MONOGRAPHS / "greek.yaml", content / "sub" / "greek.yaml")
    outside.mkdir()
    out.mkdir()
    for name in ("victim.pdf", "victim.json"):
        (outside / name).write_text("keep me", encoding="utf-8")
    (out / "baclofen.pdf").symlink_to(outside / "victim.pdf")
    (out / STATE_NAME).symlink_to(outside / "victim.json")
    (out / "sub").symlink_to(outside, target_is_directory=True)
    result = run_cli(capsys, "build", content, "-o", out)
    assert result.code == 2, result
    assert f"{out / 'sub'}: error[output]: is a link to a folder outside {out}" in result.err
    assert result.out_lines[-1] == "1 rebuilt, 0 unchanged, 1 failed"
    assert sorted(path.name for path in outside.iterdir()) == ["victim.json", "victim.pdf"]
    assert all((outside / name).read_text(encoding="utf-8") == "keep me" for name in ("victim.pdf", "victim.json"))
    assert not (out / "baclofen.pdf").is_symlink() and (out / "baclofen.pdf").read_bytes().startswith(b"%PDF")
    assert (
        not (out / STATE_NAME).is_symlink() and "baclofen.pdf" in json.loads((out / STATE_NAME).read_text())["outputs"]
    )


@pytest.mark.parametrize("folder", [False, True], ids=["named", "in-a-folder"])
def test_a_monograph_that_is_a_device_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: bool
) -> None:
    """This test ensures that a monograph linking to /dev/zero is refused at once (named: not a regular
    file; in a folder: not a monograph file) instead of being read until memory runs out."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "zero.yaml").symlink_to("/dev/zero")
    source = tmp_path / "lib" if folder else tmp_path / "lib" / "zero.yaml"
    result = run_cli(capsys, "build", source, "-o", tmp_path / "out" if folder else tmp_path / "zero.pdf")
    error = assert_user_error(result, mentions="lib" if folder else "zero.yaml")
    assert ("no .yaml or .txt monographs" if folder else "is a device, not a regular file") in error["message"]
