"""Page sizes, margins, type scale and colours: data only, in points unless a name says otherwise.

The numbers follow the readability rules leaflets are held to:

* body text 10 pt, never below 9 pt (EU Guideline on the readability of the labelling and package
  leaflet, 2009: at least 9 pt; US 21 CFR 208.20(a)(4): at least 10 pt);
* leading at least 1.25 x the size (USP <17>: line spacing 25-30 % of the size; EU: at least 3 mm);
* large print at least 16 pt, sans serif, left aligned, one column (UK Association for Accessible
  Formats; EU Directive 2001/83 Art. 56a);
* margins at least 15 mm (print shops' safe area);
* lines of at most about 90 characters (one column on Letter or A4 would run to 115: the margins grow);
* large print's running header and footer at the body size (UKAAF: page numbers as large as the text).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from leaflet.options import BuildOptions

MM = 72 / 25.4
"""Points per millimetre."""

PAPER_SIZES = {"a4": (210 * MM, 297 * MM), "letter": (612.0, 792.0)}
"""Width and height of each paper, in points."""

MIN_BODY_SIZE = 9.0
"""EU readability guideline minimum for any text a patient must read."""
MAX_MEASURE_EMS = 40.0
"""Widest text column in ems of the body size: about 90 characters of Noto Sans text a line."""
MIN_LEADING_RATIO = 1.25
"""USP <17>: line spacing 25-30 % of the type size."""


@dataclass(frozen=True)
class TypeScale:
    """Sizes and leadings of each kind of text, in points."""

    body: float
    leading: float
    heading1: float
    heading2: float
    heading3: float
    title: float
    running: float
    """Running header and footer."""
    paragraph_gap: float
    heading_gap: float
    """Space above a heading."""


STANDARD = TypeScale(
    body=10,
    leading=13,
    heading1=13.5,
    heading2=12,
    heading3=11,
    title=22,
    running=9,
    paragraph_gap=5,
    heading_gap=9,
)
LARGE = TypeScale(
    body=16,
    leading=21,
    heading1=21,
    heading2=18.5,
    heading3=17,
    title=30,
    running=16,
    paragraph_gap=8,
    heading_gap=14,
)


@dataclass(frozen=True)
class Colours:
    """Colours as hex RGB strings."""

    text: str = "#000000"
    heading: str = "#0B3D6E"
    rule: str = "#0B3D6E"
    running: str = "#333333"
    warning_frame: str = "#B3261E"
    """Dark in a greyscale print too (about 30 % luminance)."""
    warning_fill: str = "#FADBD8"
    """A tint that stays visibly grey (about 88 % luminance) when printed in black and white."""
    warning_heading: str = "#8C1D18"
    table_rule: str = "#44546A"
    """Rules of tables and notice panels: dark enough to print in greyscale."""
    table_header_fill: str = "#E2E8EF"
    notice_fill: str = "#EEF1F5"


@dataclass(frozen=True)
class PageGeometry:
    """Where things go on the page, in points."""

    width: float
    height: float
    margin: float
    """Distance from the top and bottom paper edges to anything printed (and at least from the sides)."""
    side_margin: float
    """Distance from the left and right paper edges to anything printed: the margin, or more to keep
    one column at a readable measure."""
    header_height: float
    """Band at the top of the margin box for the running header."""
    footer_height: float
    column_gap: float
    columns: int
    band_height: float = 0.0
    """Room reserved on page 1, under the running header, for the personalisation band."""
    reminder_height: float = 0.0
    """Room reserved on later pages, under the running header, for a one-line reminder."""

    @property
    def body_top(self) -> float:
        return self.height - self.margin - self.header_height

    def reserved_box(self, page_number: int) -> tuple[float, float, float, float] | None:
        """``(x, y, width, height)`` kept free for personal details on a page (None: nothing kept).

        The text frames start below it, so whatever is drawn there never covers leaflet text.
        """
        height = self.band_height if page_number == 1 else self.reminder_height
        if not height:
            return None
        gap = 4.0  # between the box and the text below
        return (self.side_margin, self.body_top - height + gap, self.width - 2 * self.side_margin, height - gap)

    @property
    def body_bottom(self) -> float:
        return self.margin + self.footer_height

    @property
    def column_width(self) -> float:
        inner = self.width - 2 * self.side_margin
        return (inner - (self.columns - 1) * self.column_gap) / self.columns


@dataclass(frozen=True)
class LeafletStyle:
    """Everything layout needs to know about looks, derived from :class:`BuildOptions`."""

    options: BuildOptions
    scale: TypeScale
    page: PageGeometry
    colours: Colours
    bullet: str = "\u2022"
    box_padding: float = 7.0
    box_frame_width: float = 2.4


def style_for(options: BuildOptions) -> LeafletStyle:
    """The leaflet style that ``options`` ask for."""
    width, height = PAPER_SIZES[options.paper]
    scale = LARGE if options.large_print else STANDARD
    columns = 1 if options.large_print else options.columns
    page = PageGeometry(
        width=width,
        height=height,
        margin=15 * MM,
        side_margin=_side_margin(width, columns, scale),
        header_height=scale.running * 2.6,
        footer_height=scale.running * (2.6 + FOOTER_SITE_LINES * bool(_shows_site(options))),
        column_gap=8 * MM,
        columns=columns,
        band_height=scale.body * 8.5 if options.personalised else 0.0,
        reminder_height=scale.running * 2.4 if options.personalised else 0.0,
    )
    colours = site_colours(options)
    if options.large_print:  # the running header and footer in black, as large as the text (UKAAF)
        colours = replace(colours, running="#000000")
    return LeafletStyle(options=options, scale=scale, page=page, colours=colours)


def _side_margin(width: float, columns: int, scale: TypeScale) -> float:
    """15 mm, or more so that one column is no wider than :data:`MAX_MEASURE_EMS` (the text block stays
    centred on the page; two columns are always narrower)."""
    margin = 15 * MM
    if columns == 1:
        margin = max(margin, (width - MAX_MEASURE_EMS * scale.body) / 2)
    return margin


def tightened_styles(style: LeafletStyle, *, spacing_only: bool = False) -> list[LeafletStyle]:
    """Ever tighter variants of ``style``, for fitting a leaflet into fewer pages: gaps at three quarters,
    then leading at the 1.25 minimum, then (unless ``spacing_only``) the body at 9.5 and 9 pt with the
    headings and title in proportion. Large print never goes below its own sizes (16 pt)."""
    scale = style.scale
    gaps = replace(scale, paragraph_gap=scale.paragraph_gap * 0.75, heading_gap=scale.heading_gap * 0.75)
    leading = replace(gaps, leading=max(gaps.body * MIN_LEADING_RATIO, MIN_LEADING_RATIO * MIN_BODY_SIZE))
    scales = [gaps, leading]
    if not (spacing_only or style.options.large_print):
        scales += [_scaled(leading, body) for body in (9.5, MIN_BODY_SIZE) if body < leading.body]
    return [replace(style, scale=tighter) for tighter in scales]


def _scaled(scale: TypeScale, body: float) -> TypeScale:
    """``scale`` with the body at ``body`` pt and headings, title and gaps in proportion (the running
    header and footer keep their size)."""
    ratio = body / scale.body
    return replace(
        scale,
        body=body,
        leading=body * MIN_LEADING_RATIO,
        heading1=scale.heading1 * ratio,
        heading2=scale.heading2 * ratio,
        heading3=scale.heading3 * ratio,
        title=scale.title * ratio,
        paragraph_gap=scale.paragraph_gap * ratio,
        heading_gap=scale.heading_gap * ratio,
    )


FOOTER_SITE_LINES = 1.6
"""Room (in running-text lines) the pharmacy's line and logo take at the foot of every page."""


def _shows_site(options: BuildOptions) -> bool:
    """Whether the footer carries the pharmacy's line (name, address, phone) or logo."""
    return bool(options.site.pharmacy_line() or options.site.logo)


def site_colours(options: BuildOptions) -> Colours:
    """leaflet's colours with the site's brand colour on headings and rules. The warning box keeps its
    own dark red on pale red (over 7:1, WCAG AAA): a brand colour never softens the overdose warning."""
    brand = options.site.brand_colour
    return replace(Colours(), heading=brand, rule=brand) if brand else Colours()
