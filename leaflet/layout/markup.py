"""The one place where content text becomes reportlab paragraph markup.

reportlab's ``Paragraph`` parses its text as markup: ``AT&T`` would become ``AT&T;``, ``<b>``
would vanish, ``</para>`` would break the parse and ``<img src=...>`` would read a local file
(see also CVE-2023-33733). Content is therefore always escaped here, and only here; styles come
from the model's runs, never from the text.
"""

from __future__ import annotations

import unicodedata

from leaflet.fonts import FontFamily
from leaflet.model import Inline

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_text(text: str) -> str:
    """``text`` as markup that draws exactly these characters (NFC-composed for the fonts)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_ENTITIES.get(char, char) for char in text)


def runs_markup(runs: Inline, family: FontFamily, *, italics: bool = True) -> str:
    """Markup for ``runs``, each in its face of ``family``; ``italics=False`` sets italic upright."""
    parts = []
    for run in runs:
        text = escape_text(run.text)
        if run.bold or (run.italic and italics):
            face = family.face(bold=run.bold, italic=run.italic and italics)
            text = f'<font face="{face}">{text}</font>'
        parts.append(text)
    return "".join(parts)
