"""Paragraphs broken into lines once per column width (issue 11, part 4).

A paragraph longer than a column is split; the part that goes on keeps the lines already made and its
words are gathered only if it is set at another width. reportlab's own ``Paragraph.split`` broke all that
was left again in every column, and gathered it again, so a 20,000-word paragraph took seconds (each
column re-broke the rest: time grew with the square of the length). The output is the same: reportlab
breaks lines greedily, so the rest broken again at the same width gives the same lines.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_END as CANNOT_END
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import _handleBulletWidth

from leaflet.text.hyphenation import Hyphenator
from leaflet.text.line_breaking import break_paragraph
from leaflet.text.paragraph_lines import gather_lines


class LineReusingParagraph(Paragraph):
    """A reportlab paragraph whose continuations reuse the lines already made at their width."""

    _rest: tuple[float, Any, Callable[..., list]] | None = None
    """(width, the lines left, reportlab's function that turns lines back into frags) of a continuation."""
    _frags_source: Callable[[], list] | None = None

    @property
    def frags(self) -> list:
        """The paragraph's fragments, gathered from the lines left on first use for a continuation."""
        if self._frags_source is not None:
            self._frags_value, self._frags_source = self._frags_source(), None
        return self._frags_value

    @frags.setter
    def frags(self, value: list) -> None:
        self._frags_value, self._frags_source = value, None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not self._reuses_lines(availWidth):
            if getattr(self.style, "wordWrap", None) != "CJK":
                return super().wrap(availWidth, availHeight)
            # reportlab's CJK wrap lets a closing mark hang past the line's end (、。 never start a line):
            # break one character narrower, so that a hanging mark stays inside the column's width
            height = super().wrap(availWidth - self.style.fontSize, availHeight)[1]
            _keep_openers_with_what_follows(getattr(self, "blPara"))  # noqa: B009 (set by reportlab's wrap)
            self.width = availWidth
            return availWidth, height
        assert self._rest is not None
        style = self.style
        self.width = availWidth
        self._wrapWidths = [availWidth - style.leftIndent - style.rightIndent] * 2
        self.blPara = self._rest[1]
        self.height = len(self.blPara.lines) * style.leading
        return self.width, self.height

    def breakLines(self, width: Any) -> Any:
        """The lines of a paragraph of Latin, Greek or Cyrillic script, broken by :mod:`leaflet.text.line_breaking`
        (hyphenated in the style's language when it has a :class:`Hyphenator`)."""
        widths = list(width) if isinstance(width, list | tuple) else [width]
        _handleBulletWidth(self.bulletText, self.style, widths)
        hyphenator = getattr(self.style, "hyphenationLang", None)
        lines = break_paragraph(
            self.frags,
            widths,
            hyphenator if isinstance(hyphenator, Hyphenator) else None,
            shrink=float(getattr(self.style, "spaceShrinkage", 0) or 0),
        )
        self._width_max = max((line.width for line in lines.lines), default=0)
        self.height = 0
        return lines

    def _get_split_blParaFunc(self) -> Callable[..., list]:
        return gather_lines

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if getattr(self.style, "autoLeading", ""):
            return list(super().split(availWidth, availHeight))
        if getattr(self.style, "wordWrap", None) == "CJK" and not self._reuses_lines(availWidth):
            parts = super().split(availWidth, availHeight)
            if len(parts) == 2:
                taken = len(parts[0].blPara.lines)
                rest = self.blPara.clone(lines=self.blPara.lines[taken:])
                parts[1]._rest = (availWidth, rest, self._get_split_blParaFunc())
            return list(parts)
        if not self._reuses_lines(availWidth):
            if not (hasattr(self, "blPara") and getattr(self, "width", None) == availWidth):
                self.wrap(availWidth, availHeight)
            self._rest = (availWidth, self.blPara, gather_lines)
        return self._split_lines(availWidth, availHeight)

    def _reuses_lines(self, width: float) -> bool:
        return self._rest is not None and self._rest[0] == width and not getattr(self.style, "autoLeading", "")

    def _split_lines(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """reportlab's ``Paragraph.split`` (same orphan and widow rules) on the lines already made; a column
        or page does not end with a line whose last word is divided (a rule of book typography): the line goes
        on with the rest of its word, and readers can join the word again without the running header
        and footer in between."""
        assert self._rest is not None
        self.blPara = self._rest[1]  # the lines at this width, whatever width it was last wrapped at
        style, lines, gather = self.style, self.blPara.lines, self._rest[2]
        taken, total = int(availHeight / style.leading), len(lines)
        orphans, widows = getattr(style, "allowOrphans", 0), getattr(style, "allowWidows", 1)
        if (not orphans and taken <= 1) or taken == 0:
            del self.blPara
            return []
        if total <= taken:
            return [self]
        if not widows and total == taken + 1:
            if not ((orphans and total == 3) or total > 3):
                del self.blPara
                return []
            taken -= 1
        while taken > 2 and getattr(lines[taken - 1], "divided", False):
            taken -= 1  # a word divided with a hyphen is not divided across columns or pages too
        first = self.__class__(None, style, bulletText=self.bulletText, frags=gather(self.blPara, 0, taken))
        first.blPara = self.blPara.clone(lines=lines[:taken], aH=availHeight, aW=availWidth)
        first._rest = (availWidth, first.blPara, gather)
        first._JustifyLast = not getattr(lines[taken - 1], "lineBreak", False)
        first._splitpara, first.height, first.width = 1, taken * style.leading, availWidth
        rest = self.__class__(None, style, bulletText=None, frags=[])
        rest._frags_source = partial(gather, self.blPara, taken, total)
        rest._rest = (availWidth, self.blPara.clone(lines=lines[taken:]), gather)
        return [first, rest]


def _keep_openers_with_what_follows(blPara: Any) -> None:
    """Move an opening mark (（「『【〔 and the like) that ends a line of a CJK paragraph to the start of the
    next line: reportlab's CJK wrap keeps closing marks off a line's start but not opening ones off its
    end. The lines were broken one character narrower than the column, so the next line has room."""
    lines = blPara.lines
    for index in range(len(lines) - 1):
        if getattr(blPara, "kind", 1) == 0:
            _move_opener_simple(blPara, index)
        else:
            _move_opener_frags(lines[index], lines[index + 1])


def _move_opener_simple(blPara: Any, index: int) -> None:
    """One-font lines: ``(extra space, [text])``."""
    (space, texts), (following_space, following) = blPara.lines[index], blPara.lines[index + 1]
    if len(texts) == 1 and len(following) == 1 and len(texts[0]) > 1 and texts[0][-1] in CANNOT_END:
        width = stringWidth(texts[0][-1], blPara.fontName, blPara.fontSize)
        blPara.lines[index] = (space + width, [texts[0][:-1]])
        blPara.lines[index + 1] = (following_space - width, [texts[0][-1] + following[0]])


def _move_opener_frags(line: Any, following: Any) -> None:
    """Lines of fragments (several fonts): the opener leaves the last fragment of ``line`` for the front
    of ``following``, in a fragment of its own font."""
    words, next_words = getattr(line, "words", None), getattr(following, "words", None)
    if not words or not next_words or not hasattr(words[-1], "text") or not words[-1].text:
        return
    last = words[-1]
    mark = last.text[-1]
    if mark not in CANNOT_END or (len(words) == 1 and len(last.text) == 1):
        return
    width = stringWidth(mark, last.fontName, last.fontSize)
    moved = last.clone(text=mark)
    if len(last.text) == 1:
        words.pop()
    else:
        words[-1] = last.clone(text=last.text[:-1])
    next_words.insert(0, moved)
    line.currentWidth -= width
    line.extraSpace += width
    following.currentWidth += width
    following.extraSpace -= width
