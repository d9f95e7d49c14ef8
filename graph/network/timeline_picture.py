"""The timeline as a PNG (matplotlib): a panel per conflict, a row per lane (its parent), each event as long as
its date is precise (a year a hatched bar of a year, a month a bar of a month, a day a dot), overlapping
events stacked within their lane, the conflict's period shaded, the legend inside the picture."""

from __future__ import annotations

from pathlib import Path

from graph.network.export import atomic_write
from graph.network.picture import cjk_font
from graph.network.timeline import Event, Timeline, When, window

PRECISION_LOOK = {  # precision → (face colour, edge colour, hatch)
    "year": ("#ebf8ff", "#2b6cb0", "////"), "month": ("#c6f6d5", "#2f855a", ""), "day": ("#f6e05e", "#975a16", ""),
}
ROW = 0.8  # height of one stacked row of events, in lane units
LANE_ORDER = {"conflict": 0, "sub-event": 1, "background": 2}


def year_fraction(day: tuple[int, int, int], end: bool = False) -> float:
    """A day as a fractional year (1992-07-01 → 1992.496); ``end`` takes the end of the day."""
    import calendar

    year, month, dom = day
    days = 366 if calendar.isleap(year) else 365
    before = sum(calendar.monthrange(year, m)[1] for m in range(1, month))
    return year + (before + dom - (0 if end else 1)) / days


def event_span(e: Event) -> tuple[float, float]:
    return year_fraction(e.start.first_day()), year_fraction(e.end.last_day(), end=True)


def stack(spans: list[tuple[float, float]], gap: float) -> list[int]:
    """The row of each span (in the order given) such that spans of one row do not overlap: greedy, first row
    free."""
    ends: list[float] = []
    rows = []
    for start, end in spans:
        row = next((i for i, last in enumerate(ends) if start >= last + gap), len(ends))
        if row == len(ends):
            ends.append(end)
        else:
            ends[row] = end
        rows.append(row)
    return rows


def draw_timeline_png(timeline: Timeline, path: Path, title: str | None = None) -> Path:
    """One panel per conflict (those with events), lanes labelled in the timeline's script (with a CJK font:
    RuntimeError if none is installed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    font = cjk_font()
    conflicts = sorted({e.conflict for e in timeline.events},
                       key=lambda c: (_first(timeline.conflicts[c].get("start")), c))
    if not conflicts:
        raise ValueError("no dated events to draw")
    layouts = [_panel(timeline, c) for c in conflicts]
    heights = [max(2.0, sum(h for _, _, h, _ in lanes) * ROW + 1) for lanes, _ in layouts]
    with plt.rc_context({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False}):
        fig, axes = plt.subplots(len(conflicts), 1, figsize=(16, 1.6 + 0.42 * sum(heights)), squeeze=False,
                                 gridspec_kw={"height_ratios": heights})
        for ax, c, (lanes, window) in zip(axes[:, 0], conflicts, layouts, strict=True):
            _draw_panel(ax, timeline, c, lanes, window)
        handles = [Patch(facecolor=f, edgecolor=e, hatch=h, label=f"date known to the {p}")
                   for p, (f, e, h) in PRECISION_LOOK.items()]
        handles += [Patch(facecolor="#edf2f7", edgecolor="none", label="the conflict's period"),
                    Patch(facecolor="white", edgecolor="#4a5568", linestyle="--", label="year inferred")]
        fig.suptitle(title or "timeline · " + " · ".join(timeline.conflicts[c]["label"] for c in conflicts[:4]),
                     fontsize=15, y=1 - 0.15 / fig.get_figheight(), va="top")
        legend_height = 0.6 / fig.get_figheight()  # inches → figure fraction, so it never covers a panel
        fig.tight_layout(rect=(0, legend_height + 0.01, 1, 1 - 0.55 / fig.get_figheight()))
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=10, frameon=False,
                   bbox_to_anchor=(0.5, 0.0))
        path = Path(path)
        atomic_write(path, lambda p: fig.savefig(p, dpi=100, format="png"))
        plt.close(fig)
    return path


def _first(when: When | None) -> tuple:
    return when.first_day() if when else (9999, 0, 0)


def _panel(timeline: Timeline, conflict: str) -> tuple[list, tuple[float, float]]:
    """(lanes as (lane id, events, rows, row of each event), the panel's window in fractional years)."""
    events = [e for e in timeline.events if e.conflict == conflict]
    window = _window(timeline, conflict)
    lanes = []
    lane_ids = sorted({e.lane for e in events}, key=lambda lane: (LANE_ORDER[timeline.lanes[lane]["kind"]],
                                                                 min(e.start.first_day() for e in events
                                                                     if e.lane == lane), lane))
    for lane in lane_ids:
        own = sorted((e for e in events if e.lane == lane and _inside(e, window)), key=event_span)
        if not own:
            continue
        rows = stack([_drawn_span(e, window) for e in own], gap=(window[1] - window[0]) / 400)
        lanes.append((lane, own, max(rows) + 1, rows))
    return lanes, window


def _drawn_span(e: Event, window: tuple[float, float]) -> tuple[float, float]:
    """The room an event takes in the picture: a day's dot is wider than its day."""
    start, end = event_span(e)
    least = (window[1] - window[0]) / 120
    if end - start >= least:
        return start, end
    middle = (start + end) / 2
    return middle - least / 2, middle + least / 2


def _window(timeline: Timeline, conflict: str) -> tuple[float, float]:
    """graph.network.timeline.window in fractional years, with a margin."""
    first, last = window(timeline, conflict)
    start, end = year_fraction(first), year_fraction(last, end=True)
    margin = max(1 / 12, (end - start) * 0.04)
    return start - margin, end + margin


def _inside(e: Event, window: tuple[float, float]) -> bool:
    start, end = event_span(e)
    return end >= window[0] and start <= window[1]


def _draw_panel(ax, timeline: Timeline, conflict: str, lanes: list, window: tuple[float, float]) -> None:
    info = timeline.conflicts[conflict]
    if info.get("start") is not None:
        ax.axvspan(year_fraction(info["start"].first_day()),
                   year_fraction((info.get("end") or info["start"]).last_day(), end=True), color="#edf2f7", zorder=0)
    y, ticks, names = 0.0, [], []
    for lane, events, height, rows in lanes:
        top = y
        for e, row in zip(events, rows, strict=True):
            start, end = event_span(e)
            face, edge, hatch = PRECISION_LOOK[e.precision]
            centre = top + (row + 0.5) * ROW
            if e.precision == "day" and e.start == e.end:
                ax.plot([start + (end - start) / 2], [centre], marker="o", markersize=6, color=face,
                        markeredgecolor=edge, linestyle="", zorder=3)
            else:
                ax.broken_barh([(start, max(end - start, 0.02))], (centre - ROW * 0.4, ROW * 0.8), facecolors=face,
                               edgecolors=edge, hatch=hatch, linewidth=0.8, zorder=2,
                               linestyle="--" if e.inferred else "-")
        y = top + height * ROW
        ticks.append((top + y) / 2)
        names.append(_lane_name(timeline, lane))
        ax.axhline(y, color="#cbd5e0", linewidth=0.6, zorder=1)
    hidden = sum(1 for e in timeline.events if e.conflict == conflict) - sum(len(ev) for _, ev, _, _ in lanes)
    ax.set_xlim(*window)
    ax.set_ylim(y, 0)
    ax.set_yticks(ticks, names, fontsize=10)
    ax.tick_params(axis="y", length=0)
    _date_axis(ax, window)
    ax.grid(axis="x", color="#e2e8f0", linewidth=0.6)
    ax.set_axisbelow(True)
    outside = f"  ({hidden} event{'s' if hidden != 1 else ''} outside this window not drawn)" if hidden else ""
    title = info["label"] + outside
    ax.set_title(title, fontsize=12, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _date_axis(ax, window: tuple[float, float]) -> None:
    """Ticks at whole years, or at months when the window is shorter than three years (1460-12, not 1460.9)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    start, end = window
    if end - start >= 3:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{round(x)}"))
        return
    months = [y + m / 12 for y in range(int(start) - 1, int(end) + 2) for m in range(12)
              if start <= y + m / 12 <= end]
    step = max(1, len(months) // 10)
    ax.xaxis.set_major_locator(FixedLocator(months[::step]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{int(x + 1e-6)}-{round((x % 1) * 12) % 12 + 1:02d}"))


def _lane_name(timeline: Timeline, lane: str) -> str:
    text = timeline.lanes[lane]["label"]
    return text if len(text) <= 28 else text[:27] + "…"
