"""Labels that do not overlap: each label of a picture is put at the first of several places around its node
where it covers no other label and no node, in order of importance (conflicts, sides, parties first); a label
with no free place is left out and counted, rather than drawn over another.

Pure geometry on boxes in display units (``place_labels``), so it is tested without matplotlib;
``picture.py`` measures the text and draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (display units, y up)

# where a label may go, as (dx, dy) in units of the node's radius plus a gap, tried in this order:
# below first (the node's colour, its side, stays visible), then the sides, then above, then further out
RING = ((0, -1), (1, 0), (-1, 0), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))
OFFSETS = RING + tuple((dx * 2.2, dy * 2.2) for dx, dy in RING) + tuple((dx * 3.6, dy * 3.6) for dx, dy in RING)


@dataclass
class Placed:
    index: int
    box: Box
    anchor: tuple[float, float]  # the point the label's box is anchored at (its centre)
    far: bool = False  # put on the outer ring: the picture draws a leader line to its node


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def candidate(centre: tuple[float, float], radius: float, size: tuple[float, float], offset: tuple[float, float],
              gap: float) -> Box:
    """The box of a label of ``size`` (w, h) put at ``offset`` from a node of ``radius`` at ``centre``."""
    (x, y), (w, h), (dx, dy) = centre, size, offset
    cx = x + dx * (radius + gap + w / 2) if dx else x
    cy = y + dy * (radius + gap + h / 2) if dy else y
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def place_labels(centres: Sequence[tuple[float, float]], radii: Sequence[float],
                 sizes: Sequence[tuple[float, float]], order: Sequence[int], bounds: Box | None = None,
                 gap: float = 2.0, fits: Callable[[Box], bool] | None = None) -> list[Placed]:
    """The labels (node i's label of size ``sizes[i]``) that fit, placed in ``order``: none overlaps another
    label or any node's disc, and all lie inside ``bounds`` when given."""
    nodes = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(centres, radii, strict=True)]
    grid = _Grid(max(8.0, max((max(w, h) for w, h in sizes), default=8.0)))
    for box in nodes:
        grid.add(box)
    placed = []
    for i in order:
        for offset in OFFSETS:
            box = candidate(centres[i], radii[i], sizes[i], offset, gap)
            if bounds is not None and not (bounds[0] <= box[0] and box[2] <= bounds[2]
                                           and bounds[1] <= box[1] and box[3] <= bounds[3]):
                continue
            if grid.hits(box) or (fits is not None and not fits(box)):
                continue
            grid.add(box)
            placed.append(Placed(i, box, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2),
                                 far=max(abs(offset[0]), abs(offset[1])) > 1.5))
            break
    return placed


class _Grid:
    """Boxes bucketed by cell, so a test looks only at the boxes near it (hundreds of labels stay fast)."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box):
        c = self.cell
        for gx in range(int(box[0] // c), int(box[2] // c) + 1):
            for gy in range(int(box[1] // c), int(box[3] // c) + 1):
                yield gx, gy

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        return any(overlaps(box, other) for key in self._keys(box) for other in self.cells.get(key, ()))
