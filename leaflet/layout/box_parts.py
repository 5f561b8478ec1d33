"""Splitting a warning box: which whole blocks fill a part of it (see :class:`.flowables.WarningBox`)."""

from __future__ import annotations

from reportlab.platypus import Flowable


def fill_part(
    content: list[Flowable], width: float, room: float, *, may_split: bool
) -> tuple[list[Flowable], list[Flowable]]:
    """Take from ``content`` the whole blocks that fit in ``room``.

    A box part ends between blocks, so its "Continued" note never lands in the middle of a
    sentence. A block is split only when even the first one does not fit and ``may_split`` says
    the part starts a column (where waiting for more room would not help).
    """
    taken: list[Flowable] = []
    remaining = list(content)
    used = 0.0
    while remaining:
        flowable = remaining[0]
        gap = taken[-1].getSpaceAfter() + flowable.getSpaceBefore() if taken else 0.0
        _, height = flowable.wrap(width, max(room - used - gap, 0))
        if used + gap + height <= room:
            taken.append(remaining.pop(0))
            used += gap + height
            continue
        if taken or not may_split:
            break
        pieces = _split_at_top(flowable, width, room - used - gap) if room - used - gap > 0 else []
        if not pieces:
            break
        remaining[0:1] = pieces
        taken.append(remaining.pop(0))
        used += gap + pieces[0].wrap(width, room)[1]
    return taken, remaining


class _TopOfColumn:
    """Stands in for the frame when a box part starts a column: its content may split as if at top."""

    _atTop = True  # noqa: N815 (reportlab's Frame attribute)
    id = ""


def _split_at_top(flowable: Flowable, width: float, height: float) -> list[Flowable]:
    flowable._frame = _TopOfColumn()
    try:
        return list(flowable.split(width, height))
    finally:
        del flowable._frame
