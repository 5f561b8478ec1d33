"""Attaching in many threads at once (issue 9.3): the same bytes as one call, hostile orders still bounded,
and no process-wide state of pypdf, reportlab, logging or warnings changed."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf.generic import NameObject
from reportlab import rl_config

from leaflet import OrderPdfError
from leaflet.options import BuildOptions
from leaflet.orders.attach import attach_leaflets, build_monograph_template
from leaflet.pdf import bounded
from leaflet.pdf.parts import LeafletTemplate
from leaflet.pdf.reading import WarningSink
from tests.cli.helpers import GOOD_YAML
from tests.orders.support import hostile_order, order_pdf, write
from tests.orders.test_bounds import dangling_annotations, long_string


def latin1_font_order() -> bytes:
    """An order whose font resource is named /F#E9 (Latin-1 é: not UTF-8) in its content stream too."""
    order = hostile_order().replace(b"/F1 12 Tf", b"/F#E9 12 Tf").replace(b"<</F1 5 0 R>>", b"<</F#E9 5 0 R>>")
    return order.replace(b"/Length 45", b"/Length 47")


def global_state() -> tuple[object, ...]:
    """What other code of the process shares with an attach: pypdf's and reportlab's settings, pypdf's and
    leaflet's loggers, the warnings filters."""
    pypdf_logger, leaflet_logger = logging.getLogger("pypdf"), logging.getLogger("leaflet")
    return (
        NameObject.CHARSETS,
        rl_config.useA85,
        tuple(pypdf_logger.handlers),
        pypdf_logger.level,
        pypdf_logger.propagate,
        pypdf_logger.disabled,
        tuple(leaflet_logger.handlers),
        tuple(warnings.filters),
    )


def test_sixteen_attaches_in_eight_threads_give_the_bytes_of_one(tmp_path: Path) -> None:
    """This test ensures that sixteen attach_leaflets calls from eight threads at once give the same bytes as
    one call, for an order with a name that is not UTF-8 and one with dangling references repaired (issue
    9.3: a process-wide lock and pypdf setting made them run one at a time)."""
    orders = [
        write(tmp_path / "latin1.pdf", latin1_font_order()),
        write(tmp_path / "dangling.pdf", dangling_annotations(200)),
        write(tmp_path / "plain.pdf", order_pdf(2)),
    ]
    expected = {order: attach_leaflets(order, [GOOD_YAML]) for order in orders}
    assert b"/F#E9" in expected[orders[0]]
    with ThreadPoolExecutor(8) as pool:
        jobs = [(order, pool.submit(attach_leaflets, order, [GOOD_YAML])) for order in orders * 6][:16]
        assert all(job.result() == expected[order] for order, job in jobs)


def test_hostile_order_in_a_thread_is_refused_in_bounded_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that a hostile order attached in a worker thread, beside good ones, is refused in
    bounded time while the good ones are attached (issue 9.3: the timer ran in the main thread only)."""
    monkeypatch.setattr(bounded, "TIME_LIMIT_S", 0.1)
    slow = write(tmp_path / "slow.pdf", long_string(3_000_000))
    good = write(tmp_path / "good.pdf", order_pdf(1))
    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        hostile = pool.submit(attach_leaflets, slow, [GOOD_YAML])
        fine = [pool.submit(attach_leaflets, good, [GOOD_YAML]) for _ in range(3)]
        with pytest.raises(OrderPdfError, match=r"took longer than 0\.1 s"):
            hostile.result()
        assert all(job.result().startswith(b"%PDF") for job in fine)
    assert time.monotonic() - started < 5


def test_attach_changes_no_global_state(tmp_path: Path) -> None:
    """This test ensures that no module global of pypdf or reportlab, no logger configuration and no warnings
    filter is changed during or after an attach, in the main thread or another (issue 9.3: NameObject.CHARSETS,
    rl_config.useA85, pypdf's handlers and the warnings filters were changed while attaching)."""
    before = global_state()
    seen: list[tuple[object, ...]] = []

    def builder(path: Path, options: BuildOptions, sink: WarningSink) -> LeafletTemplate:
        seen.append(global_state())  # called half way: the order read, not yet copied
        return build_monograph_template(path, options, sink)

    order = write(tmp_path / "order.pdf", latin1_font_order())
    attach_leaflets(order, [GOOD_YAML], leaflet_builder=builder)
    thread = threading.Thread(target=attach_leaflets, args=(order, [GOOD_YAML]), kwargs={"leaflet_builder": builder})
    thread.start()
    thread.join()
    assert seen == [before, before]
    assert global_state() == before


def test_pypdf_complaints_stay_out_of_the_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """This test ensures that pypdf's complaints about an order read in a thread reach no logging handler
    (they can quote the order), while pypdf's records outside an attach are logged as usual."""
    order = write(tmp_path / "order.pdf", dangling_annotations(50))
    warned: list[object] = []
    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(2) as pool:
        pool.submit(attach_leaflets, order, [GOOD_YAML], on_warning=warned.append).result()
        assert not [record for record in caplog.records if record.name.startswith("pypdf")]
        logging.getLogger("pypdf._reader").warning("outside an attach")
    assert [record.getMessage() for record in caplog.records] == ["outside an attach"]
    assert len(warned) == 1 and "50 problems" in str(warned[0])


def test_library_logger_has_a_null_handler() -> None:
    """This test ensures that leaflet's logger has a NullHandler, as a library's should, and that the
    library configures nothing else of it (in a fresh process: the command line, run in-process by other
    tests, configures it)."""
    script = (
        "import logging, leaflet.orders.attach\n"
        "logger = logging.getLogger('leaflet')\n"
        "assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)\n"
        "assert logger.level == logging.NOTSET and logger.propagate\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
