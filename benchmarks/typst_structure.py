"""Compare leaflet's structure tree with Typst's for the same monograph: ``python benchmarks/typst_structure.py
[MONOGRAPH]`` (needs ``pip install typst``; default: the fixture with every kind of block).

The monograph is written as Typst markup from leaflet's model (title, headings by depth, paragraphs,
bulleted and numbered lists with nesting, tables with header rows and spans, figures with alt text and
captions, notices and the warning box as blocks), compiled by Typst with PDF/UA-1, and both PDFs'
structure trees are read with pikepdf: the count of each structure type (RoleMap applied), then each
tree's first elements with their depth. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

import pikepdf

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.model import Block, BulletList, Figure, ListItem, Monograph, Notice, Paragraph, Section, Table, plain

ROOT = Path(__file__).resolve().parents[1]


def text(value: str) -> str:
    """``value`` as Typst markup that prints it verbatim (a string literal)."""
    return '#"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def blocks(items: tuple[Block, ...], depth: int, folder: Path) -> list[str]:
    out: list[str] = []
    for block in items:
        if isinstance(block, Paragraph):
            out.append(text(plain(block.runs)))
        elif isinstance(block, BulletList):
            out.append("#" + bullets(block))
        elif isinstance(block, Table):
            rows = [block.header] if block.header else []
            cells = [
                f"table.cell(colspan: {cell.colspan})[{text(plain(cell.runs))}]" for row in block.rows for cell in row
            ]
            head = ", ".join(f"[{text(plain(cell.runs))}]" for row in rows for cell in row)
            header = f"table.header({head}), " if head else ""
            caption = f", caption: [{text(plain(block.caption))}]" if block.caption else ""
            out.append(f"#figure(table(columns: {block.columns}, {header}{', '.join(cells)}){caption})")
        elif isinstance(block, Figure):
            path = folder / f"figure{len(list(folder.iterdir()))}.{block.format}"
            path.write_bytes(block.data)
            caption = f", caption: [{text(plain(block.caption))}]" if block.caption else ""
            out.append(f'#figure(image("{path.name}", alt: "{block.alt}"){caption})')
        elif isinstance(block, Notice):
            out.append(f"#block(fill: luma(235))[{text(plain(block.runs))}]")
        elif isinstance(block, Section):
            inner = "\n\n".join(
                [f"#heading(level: {depth})[{text(block.heading)}]", *blocks(block.body, depth + 1, folder)]
            )
            out.append(f"#block(stroke: red)[{inner}]" if block.warning else inner)
    return out


def bullets(block: BulletList) -> str:
    items = []
    for item in block.items:
        nested = " #" + bullets(item.sublist) if isinstance(item, ListItem) and item.sublist is not None else ""
        items.append(f"[{text(plain(item.runs))}{nested}]")
    lead = f"par[{text(plain(block.lead.runs))}] + " if block.lead is not None else ""
    return lead + ("enum" if block.ordered else "list") + "(" + ", ".join(items) + ")"


def typst_source(monograph: Monograph, folder: Path) -> str:
    head = f'#set document(title: "{monograph.title}")\n#set text(lang: "{monograph.meta.language}")\n'
    return head + f"#title[{text(monograph.title)}]\n\n" + "\n\n".join(blocks(monograph.body, 1, folder))


def types(data: bytes) -> list[tuple[int, str]]:
    """(depth, type) of every structure element, in order, custom types mapped through the RoleMap."""
    pdf = pikepdf.open(__import__("io").BytesIO(data))
    root = pdf.Root.StructTreeRoot
    roles = {str(key): str(value) for key, value in (root.get("/RoleMap") or {}).items()}
    found: list[tuple[int, str]] = []

    def walk(element: pikepdf.Object, depth: int) -> None:
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        kind = str(element.S)
        found.append((depth, roles.get(kind, kind)[1:] + (f" ({kind[1:]})" if kind in roles else "")))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, depth + 1)

    kids = root.K
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        walk(kid, 0)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("monograph", nargs="?", default=str(ROOT / "tests" / "fixtures" / "blocks" / "pen.yaml"))
    args = parser.parse_args()
    try:
        import typst
    except ImportError:
        sys.exit("typst is not installed: pip install typst")
    monograph = load_monograph(args.monograph)
    ours = types(build_leaflet(monograph, BuildOptions()).pdf)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "leaflet.typ").write_text(typst_source(monograph, folder), encoding="utf-8")
        theirs = types(typst.compile(str(folder / "leaflet.typ"), pdf_standards=["ua-1"]))
    counts = collections.Counter(kind for _, kind in ours), collections.Counter(kind for _, kind in theirs)
    print(f"{'type':24} {'leaflet':>8} {'typst':>8}")
    for kind in sorted(set(counts[0]) | set(counts[1])):
        print(f"{kind:24} {counts[0][kind]:8} {counts[1][kind]:8}")
    for name, tree in (("leaflet", ours), ("typst", theirs)):
        print(f"\n{name}: first elements")
        for depth, kind in tree[:40]:
            print("  " * depth + kind)


if __name__ == "__main__":
    main()
