"""The YAML form of lists (bulleted, numbered, nested), tables, figures and notices.

::

    - lead: "To inject:"            # optional, kept with the first item
      steps:                        # numbered; 'list:' is bulleted; optional 'start: 3'
        - Wash your hands.
        - text: Prepare the pen     # an item with a list nested under it (at most 4 levels)
          list: [Check the label, Check the expiry date]
    - table:
        caption: Dose by body weight          # optional
        header: [Weight, Dose]                # optional, repeated when the table splits
        rows:
          - [Under 20 kg, "**5 mg** once a day"]
          - [{text: See your doctor, span: 2}]
    - figure: images/pen.png        # inside the content folder, or a data:image/png;base64,... URI
      alt: The pen with its cap removed       # required
      caption: Remove the cap.                # optional
    - notice: This medicine is subject to additional monitoring.
      kind: additional-monitoring             # optional, default 'statement'
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from leaflet.errors import Diagnostic
from leaflet.loaders.images import ImageRefusedError, read_image
from leaflet.loaders.yaml_convert import Converter, ReportedError
from leaflet.loaders.yaml_tree import Mapping, Node, Scalar, Sequence
from leaflet.model import NOTICE_KINDS, BulletList, Cell, Figure, Inline, ListItem, Notice, Paragraph, Table

LIST_KEYS = ("lead", "list", "steps", "start")
ITEM_KEYS = ("text", "list", "steps", "start")
TABLE_KEYS = ("caption", "header", "rows")
CELL_KEYS = ("text", "span")
FIGURE_KEYS = ("figure", "alt", "caption")
NOTICE_KEYS = ("notice", "kind")
MAX_LIST_DEPTH = 4
"""Deepest nesting of lists: a list in an item of a list ... four levels in all."""
MAX_COLUMNS = 12
"""Most columns a table may have: more cannot be read in a leaflet's column."""
MAX_START = 9999
MAX_PICTURES = 100
"""Most figures a monograph may have (instructions for use have a few dozen)."""
MAX_TOTAL_PICTURE_BYTES = 32 * 2**20
"""Most bytes of pictures a monograph may hold in all: a 1 MiB file naming one 4 MiB picture many times
must not take gigabytes."""
_NUMBER = re.compile(r"^[1-9][0-9]*$")


class BlockConverter(Converter):
    """Reads lists, tables, figures and notices; pictures are read from ``root`` (the content folder)."""

    def __init__(self, path: str, problems: list[Diagnostic], root: Path | None = None) -> None:
        super().__init__(path, problems)
        self.root = root if root is not None else Path(path).parent
        self.pictures = 0
        self.picture_bytes = 0

    # --- lists -------------------------------------------------------------------------------------

    def bullet_list(self, node: Mapping, depth: int = 1) -> BulletList:
        node = self.mapping(node, "a list", LIST_KEYS if depth == 1 else ITEM_KEYS[1:])
        if "list" in node.items and "steps" in node.items:
            hint = "use 'list:' for bullets, 'steps:' for numbered steps"
            self.report(
                node.key_positions["steps"],
                "a list has either 'list:' or 'steps:', not both",
                hint,
                "yaml-list-and-steps",
            )
        ordered = "list" not in node.items
        key = "steps" if ordered else "list"
        start = self.attempt(lambda: self.start(node, ordered=ordered), 1)
        items_node = node.items[key]
        if not isinstance(items_node, Sequence) or not items_node.items:
            code = "yaml-empty-list" if isinstance(items_node, Sequence) else "yaml-wrong-type"
            self.fail(items_node, f"'{key}' must be a non-empty list of items", "start each item with '- '", code)
        items = self.each(items_node.items, lambda item: self.item(item, depth))
        lead = self.attempt(lambda: self.prose(node.items["lead"], "'lead'"), None) if "lead" in node.items else None
        return BulletList(items=items, lead=lead, line=node.line, ordered=ordered, start=start)

    def start(self, node: Mapping, *, ordered: bool) -> int:
        if "start" not in node.items:
            return 1
        start_node = node.items["start"]
        if not ordered:
            hint = "use 'steps:' for a numbered list, or remove 'start:'"
            self.fail(start_node, "'start' numbers steps; a bulleted list has no numbers", hint, "yaml-bad-start")
        value = self.text(start_node, "'start'")
        if not _NUMBER.match(value) or int(value) > MAX_START:
            hint = f"write the number of the first step, from 1 to {MAX_START}"
            self.fail(
                start_node, f"'start' is {value!r}, not a whole number from 1 to {MAX_START}", hint, "yaml-bad-start"
            )
        return int(value)

    def item(self, node: Node, depth: int) -> Paragraph:
        """A list item: text, or ``text:`` with a nested ``list:`` or ``steps:``."""
        if not isinstance(node, Mapping) or not set(ITEM_KEYS) & node.items.keys():
            return self.prose(node, "a list item")
        node = self.mapping(node, "a list item", ITEM_KEYS)
        if "text" not in node.items:
            hint = "give the item's own text under 'text:', beside its nested list"
            self.fail(node, "a list item with a nested list needs 'text:'", hint, "yaml-missing-key")
        text = self.prose(node.items["text"], "a list item")
        nested = {key: value for key, value in node.items.items() if key != "text"}
        if not nested.keys() & {"list", "steps"}:
            if nested:
                self.fail(node, "'start' without 'steps:' in a list item", "add the nested 'steps:'", "yaml-bad-start")
            return text
        if depth >= MAX_LIST_DEPTH:
            where = node.items["list" if "list" in nested else "steps"]
            hint = "make the deepest items sentences of the item above, or split the list"
            self.fail(where, f"lists nest at most {MAX_LIST_DEPTH} levels deep", hint, "yaml-list-too-deep")
        positions = {key: node.key_positions[key] for key in nested}
        inner = Mapping(nested, node.line, node.column, positions)
        sublist = self.bullet_list(inner, depth + 1)
        return ListItem(text.runs, text.line, sublist=sublist)

    # --- tables ------------------------------------------------------------------------------------

    def table(self, node: Mapping) -> Table:
        node = self.mapping(node, "a table", ("table",))
        spec = self.mapping(node.items["table"], "'table'", TABLE_KEYS)
        if "rows" not in spec.items:
            self.fail(
                spec, "a table without 'rows'", "add 'rows:' with one '- [cell, cell]' per row", "yaml-missing-key"
            )
        caption: Inline = ()
        if "caption" in spec.items:
            caption = self.attempt(lambda: self.prose(spec.items["caption"], "'caption'").runs, ())
        header: tuple[Cell, ...] = ()
        read: list[tuple[Node, tuple[Cell, ...]]] = []
        if "header" in spec.items:
            header = self.attempt(lambda: self.row(spec.items["header"], "'header'"), ())
            if header:
                read.append((spec.items["header"], header))
        rows_node = spec.items["rows"]
        if not isinstance(rows_node, Sequence) or not rows_node.items:
            code = "yaml-empty-list" if isinstance(rows_node, Sequence) else "yaml-wrong-type"
            self.fail(rows_node, "'rows' must be a non-empty list of rows", "write each row as '- [cell, cell]'", code)
        read.extend(self.each(rows_node.items, lambda row: (row, self.row(row, "a table row"))))
        self.check_columns(read)
        rows = tuple(cells for row_node, cells in read if row_node is not spec.items.get("header"))
        if not rows:
            raise ReportedError
        return Table(rows=rows, header=header, caption=caption, line=node.line)

    def row(self, node: Node, what: str) -> tuple[Cell, ...]:
        if not isinstance(node, Sequence) or not node.items:
            hint = "write the row as a list of cells: [first cell, second cell]"
            self.fail(node, f"{what} must be a non-empty list of cells", hint, "yaml-wrong-type")
        cells = tuple(self.each(node.items, self.cell))
        if len(cells) < len(node.items):
            raise ReportedError
        return cells

    def cell(self, node: Node) -> Cell:
        if isinstance(node, Scalar):
            return Cell(self.cell_text(node))
        node = self.mapping(node, "a table cell", CELL_KEYS)
        if "text" not in node.items:
            self.fail(
                node,
                "a table cell written as a mapping needs 'text:'",
                "add 'text:' (it may be '')",
                "yaml-missing-key",
            )
        runs = self.cell_text(node.items["text"])
        span = self.span(node.items["span"]) if "span" in node.items else 1
        return Cell(runs, span)

    def cell_text(self, node: Node) -> Inline:
        """A cell's text, which may be empty (``''``)."""
        if isinstance(node, Scalar) and not node.value.strip():
            return ()
        return self.prose(node, "a table cell").runs

    def span(self, node: Node) -> int:
        value = self.text(node, "'span'")
        if not _NUMBER.match(value) or int(value) > MAX_COLUMNS:
            hint = f"give how many columns the cell covers, from 1 to {MAX_COLUMNS}"
            self.fail(node, f"'span' is {value!r}, not a number of columns", hint, "yaml-bad-span")
        return int(value)

    def check_columns(self, rows: list[tuple[Node, tuple[Cell, ...]]]) -> None:
        """Every row spans as many columns as the first (spans counted), and no more than the limit."""
        if not rows:
            return
        first_node, first = rows[0]
        expected = sum(cell.colspan for cell in first)
        for row_node, cells in rows:
            count = sum(cell.colspan for cell in cells)
            if count > MAX_COLUMNS:
                hint = "split the table, or turn it into a list"
                self.report(
                    row_node,
                    f"this row has {count} columns; a leaflet table has at most {MAX_COLUMNS}",
                    hint,
                    "yaml-table-columns",
                )
            elif count != expected:
                message = (
                    f"this row spans {_columns(count)}, the row on line {first_node.line} spans {_columns(expected)}"
                )
                hint = "add or remove cells, or change a cell's 'span', so that every row has as many columns"
                self.report(row_node, message, hint, "yaml-table-columns")

    # --- figures and notices -----------------------------------------------------------------------

    def figure(self, node: Mapping) -> Figure:
        node = self.mapping(node, "a figure", FIGURE_KEYS)
        alt = self.attempt(lambda: self.text(node.items["alt"], "'alt'"), None) if "alt" in node.items else None
        if "alt" not in node.items:
            hint = "add 'alt:' saying what the picture shows, for readers who cannot see it"
            self.report(node, "a figure without 'alt:' text", hint, "yaml-missing-alt")
        caption: Inline = ()
        if "caption" in node.items:
            caption = self.attempt(lambda: self.prose(node.items["caption"], "'caption'").runs, ())
        source_node = node.items["figure"]
        source = self.text(source_node, "'figure'")
        self.count_picture(source_node)
        try:
            image = read_image(source, self.root)
        except ImageRefusedError as refused:
            self.fail(source_node, refused.message, refused.hint, refused.code)
        self.picture_bytes += len(image.data)
        if self.picture_bytes > MAX_TOTAL_PICTURE_BYTES:
            message = f"the pictures of this monograph add up to over {MAX_TOTAL_PICTURE_BYTES // 2**20} MiB"
            self.fail(source_node, message, "save the pictures smaller", "figure-too-many")
        if alt is None:
            raise ReportedError
        where = "data:" if source[:5].lower() == "data:" else source
        return Figure(image.data, alt, image.format, image.width, image.height, caption, where, node.line)

    def count_picture(self, node: Node) -> None:
        self.pictures += 1
        if self.pictures > MAX_PICTURES:
            hint = "split the monograph; a leaflet has a few pictures"
            self.fail(node, f"more than {MAX_PICTURES} figures", hint, "figure-too-many")

    def notice(self, node: Mapping) -> Notice:
        node = self.mapping(node, "a notice", NOTICE_KEYS)
        kind = self.attempt(lambda: self.notice_kind(node.items["kind"]), "") if "kind" in node.items else "statement"
        text = self.prose(node.items["notice"], "'notice'")
        if not kind:
            raise ReportedError
        return Notice(text.runs, kind, node.line)

    def notice_kind(self, node: Node) -> str:
        value = self.text(node, "'kind'")
        if value not in NOTICE_KINDS:
            close = difflib.get_close_matches(value, NOTICE_KINDS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(NOTICE_KINDS)}"
            self.fail(node, f"'kind' is {value!r}, not a kind of notice", hint, "yaml-bad-notice-kind")
        return value


def _columns(count: int) -> str:
    return f"{count} column" if count == 1 else f"{count} columns"
