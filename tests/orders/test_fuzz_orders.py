"""A seeded, bounded run of the order-PDF fuzzer (``tests/orders/fuzz.py``; issue 10): mutated orders
are refused with an error naming the file, or make a packet qpdf finds sound, each in bounded time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.orders.fuzz import cases, run_case

SEED = 20261207
COUNT = 400


@pytest.mark.slow
@pytest.mark.parametrize("case", cases(SEED, COUNT), ids=lambda case: f"{case.number}-{case.origin}")
def test_mutated_order_is_refused_or_packed_soundly(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """This test ensures that a mutated order is refused cleanly or makes a sound packet."""
    assert run_case(case, tmp_path) is None, f"mutations: {case.mutations}"
