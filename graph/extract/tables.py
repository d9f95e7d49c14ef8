"""Wiki tables (``{| … |}``) of the article body → ``Table``s, and strength tables → ``Figure``s.

War articles often give the forces of each polity as a table ("政权 | 军事人员 | 火炮 | 坦克 …") rather
than in the infobox. mwparserfromhell reads such a table as nested ``Tag`` nodes (``table`` / ``tr`` /
``th`` / ``td``, cell attributes kept apart from content); this module walks them with their character
offsets, renders every cell with ``graph.values.split_items`` (so ``{{flag|X}}`` resolves to a state and
links become entities), and lays the rows out on a grid so that ``rowspan`` / ``colspan`` keep columns
aligned.

Spans: a header cell with ``colspan`` heads every column it covers; a first-column (row entity) cell
with ``rowspan`` names every row it covers. A *data* cell spanning several rows or columns holds one
figure for several (polity, category) pairs, and attributing it to each would multiply it, so it is
kept on the grid (later cells stay aligned) but yields no figure.

A table that mwparserfromhell does not read as a table (``|}`` missing: it is then plain text) is not
returned at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from mwparserfromhell.nodes import Comment, Heading, Node, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

from graph.data.regex_cache import regex
from graph.data.vocab import load, meaning_of
from graph.extract import entities
from graph.extract.infobox import outer_text
from graph.extract.model import EntityRef, Figure, RefMarker
from graph.extract.numbers import parse_quantity
from graph.extract.refs import marker_from_ref, marker_from_short_citation
from graph.extract.values import DROP_TAGS, Item, split_items
from graph.wikitext.page import Page, iter_templates, mapping_for
from graph.wikitext.text import clean_spaces, fold
from graph.wikitext.walk import NodeIndex

# Tags whose content is not body text: a table inside them is not the article's table.
OPAQUE_TAGS = {"ref", "nowiki", "pre", *DROP_TAGS}
CELL_TAGS = {"td", "th"}
MAX_SPAN = 100  # MediaWiki allows far more, but a huge span is a typo and would blow up the grid
EMPTY_VALUES = {"", "n/a", "na", "—", "–", "-", "?", "…", "...", "unknown", "不明", "不详", "未知", "无"}
BLANK_LINE = regex(r"\n[ \t]*\n")
TRAILING_NOTE = regex(r"\s*(?:\([^()]*\)|（[^（）]*）|\[[^\[\]]*\]|[*†‡#]+)\s*$")
DIGITS = regex(r"\d+")


@dataclass
class Cell:
    """A table cell: its items, text, place and span, and whether it repeats a spanning cell."""

    items: list[Item]  # the cell rendered with graph.values.split_items
    text: str  # plain text
    offset: int  # where the cell's markup (``|``, ``||``, ``!``) starts in page.text
    line: int = 0  # 1-based line of the cell's content
    wikitext: str = ""  # the cell's content as written, without its markup and attributes
    header: bool = False  # a ``!`` cell
    rowspan: int = 1
    colspan: int = 1
    copy: bool = False  # a place on the grid covered by a span of a cell placed earlier

    @property
    def refs(self) -> list[RefMarker]:
        return [r for item in self.items for r in item.refs]

    @property
    def spanned(self) -> bool:
        return self.rowspan > 1 or self.colspan > 1


@dataclass
class Table:
    """A wikitable of the body: caption, header and rows, and the sources cited for it."""

    offset: int  # where `{|` starts in page.text
    line: int
    caption: str | None
    header: list[str]  # plain text of the header cells (the first row of `!` cells), colspans repeated
    rows: list[list[Cell]]  # body rows, laid out on the grid (spans repeated as copies)
    refs: list[RefMarker]  # citation markers in the table (cells and caption)
    context_refs: list[RefMarker]  # markers of the paragraph just before the table
    header_cells: list[Cell] = field(default_factory=list)  # the header row as cells (same grid as header)
    caption_refs: list[RefMarker] = field(default_factory=list)


@dataclass(frozen=True)
class Category:
    """What a header cell counts: a unit key of units.yaml, and a finer kind where two columns share it."""

    unit: str
    kind: str | None = None


# --- data ---------------------------------------------------------------------------------------


@cache
def header_words() -> dict[str, Category]:
    """Folded header word → category, from graph/data/table_headers.yaml."""
    table: dict[str, Category] = {}
    for entry in load("table_headers")["categories"]:
        category = Category(entry["unit"], entry.get("kind"))
        for word in entry["words"]:
            table.setdefault(fold(str(word)), category)
    return table


@cache
def total_words() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load("table_headers")["total_rows"])


def header_category(text: str) -> Category | None:
    """The strength category a header cell names ("裝甲運兵車" → armoured-vehicle/APC), or None."""
    folded = fold(text)
    while folded:
        if folded in header_words():
            return header_words()[folded]
        shorter = TRAILING_NOTE.sub("", folded)  # "tanks (t-72)", "兵力*": the note is not the category
        if shorter == folded:
            return None
        folded = shorter
    return None


# --- walking the tree with offsets ---------------------------------------------------------------


def children(code: Wikicode, offset: int, index: NodeIndex) -> Iterator[tuple[Node, int]]:
    """The nodes of ``code`` with their offsets (str(node) round-trips the text exactly; ``index``, the walk of the
    page's tree, knows the length of each node of it without printing it)."""
    pos = offset
    for node in code.nodes:
        yield node, pos
        pos += index.length_of(node)


def tag_name(node: Node) -> str:
    return str(node.tag).strip().lower() if isinstance(node, Tag) else ""


def table_tags(code: Wikicode, offset: int, index: NodeIndex) -> Iterator[tuple[Tag, int]]:
    """Every table tag of the body, outermost first; templates and refs are not the body."""
    for node, pos in children(code, offset, index):
        if not isinstance(node, Tag) or node.contents is None or node.self_closing:
            continue
        name = tag_name(node)
        if name in OPAQUE_TAGS:
            continue
        if name == "table" and not holds_infobox(node):  # a table that lays out an infobox holds no data
            yield node, pos
        yield from table_tags(node.contents, index.contents_start(node, pos), index)  # <center>, cells, nested tables


def holds_infobox(table: Tag) -> bool:
    return any(mapping_for(str(tpl.name)) for tpl, _ in iter_templates(table.contents))


# --- tables ----------------------------------------------------------------------------------------


def find_tables(page: Page, lang: str) -> list[Table]:
    """Every table of the page body (not inside templates or refs), in page order."""
    return [read_table(page, tag, offset, lang) for tag, offset in table_tags(page.code, 0, page.nodes)]


def read_table(page: Page, tag: Tag, offset: int, lang: str) -> Table:
    caption, raw_rows = split_rows(tag, offset, page.nodes)
    caption_cell = make_cell(page, *caption, lang) if caption else None
    rows = [[make_cell(page, cell, pos, lang) for cell, pos in row] for row in raw_rows]
    rows = lay_out(rows)
    header_cells, body = split_header(rows)
    refs = [r for row in rows for cell in row if not cell.copy for r in cell.refs]
    caption_refs = caption_cell.refs if caption_cell else []
    return Table(
        offset=offset, line=page.lines.position(offset)[0],
        caption=(caption_cell.text.lstrip("+").strip() or None) if caption_cell else None,
        header=[cell.text for cell in header_cells], rows=body, refs=dedupe([*caption_refs, *refs]),
        context_refs=context_refs(page, offset), header_cells=header_cells, caption_refs=caption_refs)


def split_rows(table: Tag, offset: int, index: NodeIndex) -> tuple[tuple[Tag, int] | None,
                                                                   list[list[tuple[Tag, int]]]]:
    """The caption cell and the rows of cells. Cells before the first ``|-`` are not wrapped in a
    ``tr`` by the parser: they form the first row."""
    caption: tuple[Tag, int] | None = None
    rows: list[list[tuple[Tag, int]]] = []
    loose: list[tuple[Tag, int]] = []
    for node, pos in children(table.contents, index.contents_start(table, offset), index):
        name = tag_name(node)
        if name == "caption" or (name == "td" and str(node).startswith("|+")):
            # The parser reads `|+ caption` as a td whose content (or first attribute) starts with "+".
            caption = caption or (node, pos)
        elif name in CELL_TAGS:
            loose.append((node, pos))
        elif name == "tr" and node.contents is not None:
            if loose:
                rows.append(loose)
                loose = []
            cells = [(c, p) for c, p in children(node.contents, index.contents_start(node, pos), index)
                     if tag_name(c) in CELL_TAGS]
            if cells:
                rows.append(cells)
    if loose:
        rows.append(loose)
    return caption, rows


def make_cell(page: Page, tag: Tag, offset: int, lang: str) -> Cell:
    inner = page.nodes.contents_start(tag, offset)
    items = split_items(page, tag.contents, inner, lang) if tag.contents is not None else []
    return Cell(items=items, text=clean_spaces(" ".join(item.plain for item in items)), offset=offset,
                line=page.lines.position(items[0].offset if items else offset)[0],
                wikitext=str(tag.contents or "").strip(), header=tag_name(tag) == "th",
                rowspan=span(tag, "rowspan"), colspan=span(tag, "colspan"))


def span(tag: Tag, name: str) -> int:
    for attr in tag.attributes:
        if str(attr.name).strip().lower() == name:
            m = DIGITS.search(str(attr.value or ""))
            return min(max(int(m.group()), 1), MAX_SPAN) if m else 1
    return 1


def lay_out(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows as a grid: a cell with rowspan/colspan also fills the places it covers (as copies)."""
    pending: dict[int, tuple[Cell, int]] = {}  # column → (cell, rows still covered)
    grid: list[list[Cell]] = []
    for row in rows:
        out: list[Cell] = []
        cells = iter(row)
        cell = next(cells, None)
        while cell is not None or any(col >= len(out) for col in pending):
            col = len(out)
            if col in pending:
                above, left = pending.pop(col)
                out.append(replace(above, copy=True))
                if left > 1:
                    pending[col] = (above, left - 1)
                continue
            if cell is None:
                out.append(Cell(items=[], text="", offset=-1, copy=True))  # a hole left of a later rowspan
                continue
            for i in range(cell.colspan):
                out.append(cell if i == 0 else replace(cell, copy=True))
                if cell.rowspan > 1:
                    pending[col + i] = (cell, cell.rowspan - 1)
            cell = next(cells, None)
        grid.append(out)
    return grid


def split_header(rows: list[list[Cell]]) -> tuple[list[Cell], list[list[Cell]]]:
    """The first row when it is all ``!`` cells is the header; further all-``!`` rows without figures are
    more header lines (grouped headings), skipped; ``! Armenia || 20,000`` is a body row (MediaWiki makes
    every cell of a ``!`` line a header cell)."""
    if not rows or not all(cell.header for cell in rows[0]):
        return [], rows
    body = rows[1:]
    while body and all(cell.header for cell in body[0]) and not any(has_figure(c) for c in body[0][1:]):
        body = body[1:]
    return rows[0], body


def has_figure(cell: Cell) -> bool:
    return not is_empty_value(cell.text) and parse_quantity(cell.text) is not None


def is_empty_value(text: str) -> bool:
    return fold(text).strip(" .") in EMPTY_VALUES


# --- the paragraph before a table ----------------------------------------------------------------


def flow(code: Wikicode, offset: int, stop: int, index: NodeIndex) -> Iterator[tuple[Node, int]]:
    """The leaves of the body before ``stop``, in order; containers (``<center>``, ``<div>``, the table
    that holds a nested one) are opened, refs, templates and other tables are leaves."""
    for node, pos in children(code, offset, index):
        if pos >= stop:
            return
        end = pos + index.length_of(node)
        if isinstance(node, Tag) and node.contents is not None and not node.self_closing \
                and tag_name(node) not in OPAQUE_TAGS and (tag_name(node) != "table" or end > stop):
            yield from flow(node.contents, index.contents_start(node, pos), stop, index)
        elif end <= stop:
            yield node, pos


def context_refs(page: Page, table_offset: int) -> list[RefMarker]:
    """Markers of the paragraph just before the table (whitespace between them skipped), which is where
    an article usually cites the source of a table ("… estimated as follows:<ref>…</ref>")."""
    found: list[RefMarker] = []
    started = False
    for node, _ in reversed(list(flow(page.code, 0, table_offset, page.nodes))):
        if isinstance(node, Heading) or tag_name(node) == "table":
            break
        if isinstance(node, Comment):
            continue
        if isinstance(node, Text):
            text = str(node) if started else str(node).rstrip()
            if not text:
                continue  # the gap between the paragraph and the table
            started = True
            if BLANK_LINE.search(text):
                break
            continue
        started = True
        marker = marker_of(node)
        if marker is not None:
            found.append(marker)
    return dedupe(list(reversed(found)))


def marker_of(node: Node) -> RefMarker | None:
    if tag_name(node) == "ref":
        return marker_from_ref(node)
    if isinstance(node, Template) and meaning_of(str(node.name).strip()) == "short_citations":
        return marker_from_short_citation(node)
    return None


# --- strength tables → figures -------------------------------------------------------------------


def column_categories(table: Table) -> dict[int, Category]:
    """Columns (after the first, which names the row entities) whose header is a strength category."""
    return {i: cat for i, text in enumerate(table.header) if i > 0 and (cat := header_category(text))}


def is_strength_table(table: Table) -> bool:
    """Most named value columns are strength categories: a "Notes" column may sit beside them, but a
    list of battles with "Date" and "Troops" columns is not a strength table."""
    named = [text for text in table.header[1:] if text.strip()]
    mapped = column_categories(table)
    return bool(mapped) and 2 * len(mapped) > len(named)


def table_figures(table: Table, lang: str) -> list[Figure]:
    """One strength ``Figure`` per (row entity, category column) cell that holds a number."""
    if not is_strength_table(table):
        return []
    categories = column_categories(table)
    figures: list[Figure] = []
    for row in table.rows:
        if not row:
            continue
        subject = row_subject(row[0], lang)
        if subject is None:
            continue
        for col, category in categories.items():
            if col < len(row):
                figure = cell_figure(table, row, col, category, subject)
                if figure is not None:
                    figures.append(figure)
    return figures


def row_subject(cell: Cell, lang: str) -> EntityRef | None:
    """The first cell's first mention (a flag is its state), else its text; a "Total" row has none."""
    mentions = [m for item in cell.items for m in item.mentions]
    if mentions:
        return mentions[0].entity
    text = clean_spaces(" ".join(outer_text(item) for item in cell.items))
    if text and fold(text).strip(" :：") not in total_words() and not is_empty_value(text):
        return entities.from_text(text, lang)
    icons = [icon for item in cell.items for icon in item.icons]
    return icons[0] if icons and not text else None


def cell_figure(table: Table, row: list[Cell], col: int, category: Category, subject: EntityRef) -> Figure | None:
    cell = row[col]
    if cell.spanned or cell.copy or is_empty_value(cell.text):
        return None  # a merged value belongs to no single (row, column) pair; see the module docstring
    quantity = parse_quantity(cell.text)
    if quantity is None:
        return None
    refs = dedupe([*cell.refs, *row_refs(row[0]), *column_refs(table, col), *table.caption_refs,
                   *table.context_refs])
    return Figure(side=None, field="table", line=cell.line, source_text=cell.wikitext, refs=refs,
                  measure="strength", quantity=replace(quantity, unit=category.unit), category=None,
                  note=table.header[col].strip() or None, subject=subject)


def row_refs(cell: Cell) -> list[RefMarker]:
    """A marker on the row's name backs the whole row."""
    return cell.refs


def column_refs(table: Table, col: int) -> list[RefMarker]:
    """A marker in a header cell backs the whole column."""
    return table.header_cells[col].refs if col < len(table.header_cells) else []


def dedupe(refs: list[RefMarker]) -> list[RefMarker]:
    seen: set[RefMarker] = set()
    out: list[RefMarker] = []
    for ref in refs:
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out
