"""A few real processes: ``python -m leaflet``, the console script, exit statuses, clean stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import leaflet
from tests.cli.helpers import DIAGNOSTIC, GOOD_TXT, GOOD_YAML, UNKNOWN_KEY_YAML

SCRIPT = Path(sys.executable).parent / ("leaflet.exe" if os.name == "nt" else "leaflet")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def test_python_m_leaflet_builds(tmp_path: Path) -> None:
    """This test ensures that ``python -m leaflet build`` writes the PDF and exits 0 with a clean stderr."""
    out = tmp_path / "good.pdf"
    done = run([sys.executable, "-m", "leaflet", "build", str(GOOD_YAML), "-o", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert out.read_bytes().startswith(b"%PDF-")


def test_user_error_exit_status_and_stderr(tmp_path: Path) -> None:
    """This test ensures that a real process exits 2 on a user error with exactly one diagnostic line on
    stderr (one line: stderr is not a terminal), the total, and no traceback."""
    done = run([sys.executable, "-m", "leaflet", "build", str(UNKNOWN_KEY_YAML), "-o", "x.pdf"], tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[1:] == ["1 error"], done.stderr
    match = DIAGNOSTIC.match(lines[0])
    assert match and (match["path"], match["line"], match["column"]) == (str(UNKNOWN_KEY_YAML), "4", "1")
    assert not (tmp_path / "x.pdf").exists()


def test_internal_error_exit_status(tmp_path: Path) -> None:
    """This test ensures that the console entry point exits 70 on an internal error (issue 9.4: 1 was
    ambiguous with check's findings), with one line on stderr and no traceback."""
    code = (
        "import sys, leaflet.render\n"
        "def broken(*a, **k): raise RuntimeError('boom')\n"
        "leaflet.render.render_pdf = broken\n"
        f"sys.argv = ['leaflet', 'build', {str(GOOD_YAML)!r}, '-o', 'x.pdf']\n"
        "from leaflet.cli.main import entry_point\n"
        "entry_point()\n"
    )
    done = run([sys.executable, "-c", code], tmp_path)
    assert done.returncode == 70
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "internal error" in done.stderr


def test_console_script_is_installed(tmp_path: Path) -> None:
    """This test ensures that the ``leaflet`` console script sits next to the interpreter and prints
    the version."""
    if not SCRIPT.exists():
        pytest.fail(f"console script {SCRIPT} is missing; is leaflet installed in this environment?")
    done = run([str(SCRIPT), "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"leaflet {leaflet.__version__}"


def test_reader_going_away_is_not_a_bug(tmp_path: Path) -> None:
    """This test ensures that `leaflet check --format json ... | head` whose reader has gone away ends
    quietly with 141 (128 + SIGPIPE), not as an internal error with exit 70."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before leaflet writes anything
    try:
        result = subprocess.run(
            [sys.executable, "-m", "leaflet", "check", "--format", "json", str(GOOD_YAML)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_text_build_imports_only_what_it_uses(tmp_path: Path) -> None:
    """This test ensures that a plain `leaflet build x.txt` loads no YAML, process-pool, check, order or
    PDF-reading code, nor a state file's or lock's: it runs its one job in this process (issue 9: start-up)."""
    script = (
        "import sys\n"
        "from leaflet.cli.main import main\n"
        f"status = main(['build', {str(GOOD_TXT)!r}, '-o', 'x.pdf', '-q'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    loaded = set(result.stdout.split())
    unwanted = {"yaml", "multiprocessing", "concurrent.futures", "json", "pypdf"}
    unwanted |= {name for name in loaded if name.startswith(("leaflet.check", "leaflet.orders", "leaflet.pdf"))}
    unwanted |= {"leaflet.jobs.library", "leaflet.jobs.state", "leaflet.jobs.lock"}  # the job runs, no state or lock
    unwanted |= {
        "pyexpat",
        "xml.parsers.expat",
        "leaflet.loaders.imported",
        "leaflet.loaders.epi",
        "leaflet.loaders.spl",
    }
    assert not loaded & unwanted, sorted(loaded & unwanted)
    assert "leaflet.render" in loaded  # it did build


def test_yaml_build_compiles_no_plain_text_wording(tmp_path: Path) -> None:
    """This test ensures that a YAML build, which never reads plain text, does not compile the QRD template's
    wording in every EU language (some 10 ms at start-up: the text importer is imported with the loaders,
    its patterns compile on first use) and loads no bidi, service, Celery or preview code (reportlab itself
    imports uharfbuzz when it is installed, some 7 ms: not leaflet's to avoid)."""
    script = (
        "import sys\n"
        "from leaflet.cli.main import main\n"
        f"status = main(['build', {str(GOOD_YAML)!r}, '-o', 'x.pdf', '-q'])\n"
        "from leaflet.loaders import qrd\n"
        "print(qrd._compiled.cache_info().currsize, ' '.join(sorted(sys.modules)))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    compiled, *loaded = result.stdout.split()
    assert compiled == "0"
    unwanted = {"bidi", "fastapi", "celery", "pypdfium2", "tomllib", "leaflet.text.shaping"}
    assert not set(loaded) & unwanted, sorted(set(loaded) & unwanted)


def test_the_library_logs_through_leaflet_and_the_cli_shows_it(tmp_path: Path) -> None:
    """This test ensures that the library only logs (a NullHandler on 'leaflet', nothing configured on
    import) and that the command line shows leaflet's log on stderr: a worker that dies in a batch is
    said in one line (issue 9: logging configured by the command line only)."""
    script = (
        "import logging, leaflet\n"
        "logger = logging.getLogger('leaflet')\n"
        "assert [type(h).__name__ for h in logger.handlers] == ['NullHandler'], logger.handlers\n"
        "assert logging.getLogger().handlers == []\n"
        "from leaflet.cli.main import _configure_logging\n"
        "_configure_logging(verbose=False, quiet=False)\n"
        "logging.getLogger('leaflet.jobs').warning('a worker process died; running the 3 jobs in flight again')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "leaflet: a worker process died; running the 3 jobs in flight again\n"
