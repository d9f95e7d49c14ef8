"""The timeline as one self-contained HTML page: vis-timeline (inlined, see graph.network.vendor) with a
group per conflict and a lane per parent (the conflict itself, each sub-event, the background), each event
drawn as long as its date is precise (a year is a hatched span of a year, a month a span of a month, a day a
point), hover for its sentence and sources; search and filters by conflict, side, precision and what it
involves. The page's data is built here (``timeline_data``); the page itself is templates/timeline.html.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from graph.network import vendor
from graph.network.export import write_text_atomically
from graph.network.layout import SIDE_COLOURS, SIDE_LEGEND
from graph.network.page import FONTS
from graph.network.timeline import PRECISIONS, Event, Timeline, When, event_search_key, window

INVOLVES = ("party", "person", "place", "other", "nothing named")  # what an event's filter by kind offers
KIND_OF_ENTITY = {"party": "party", "person": "person", "place": "place", "conflict": "other", "side": "other"}
SHORT = 22  # characters of a sentence shown on its bar; the whole sentence is in the tooltip


def draw_timeline_html(timeline: Timeline, path: Path, title: str | None = None) -> Path:
    lang = timeline.script or "en"
    data = timeline_data(timeline)
    title = title or "timeline · " + " · ".join(sorted(c["label"] for c in _shown_conflicts(timeline).values()))[:120]
    page = vendor.fill(vendor.template("timeline.html"), lang=html.escape(lang), title=html.escape(title),
                       font=html.escape(FONTS.get(lang, FONTS["default"]), quote=False), side_css=side_css(),
                       data=vendor.json_for_script(data), vis_timeline=vendor.script(vendor.VIS_TIMELINE))
    return write_text_atomically(Path(path), page)


def _shown_conflicts(timeline: Timeline) -> dict[str, dict]:
    used = {e.conflict for e in timeline.events}
    return {c: d for c, d in timeline.conflicts.items() if c in used}


def timeline_data(timeline: Timeline) -> dict:
    """Groups (a conflict, nesting its lanes), items (events, and each conflict's period behind its lanes) and
    the filters' values, as the page's script reads them."""
    conflicts = sorted(_shown_conflicts(timeline), key=lambda c: (_sort_key(timeline.conflicts[c]["start"]), c))
    conflict_id = {c: f"c{i}" for i, c in enumerate(conflicts)}
    lane_order = {"conflict": 0, "sub-event": 1, "background": 2}
    first_date = {}
    for e in timeline.events:
        first_date.setdefault(e.lane, e.start.first_day())
    lanes = sorted(timeline.lanes, key=lambda lane: (lane_order[timeline.lanes[lane]["kind"]],
                                                    first_date.get(lane, (0, 0, 0)), lane))
    lane_id = {lane: f"l{i}" for i, lane in enumerate(lanes)}
    groups, items = [], []
    for order, c in enumerate(conflicts):
        info = timeline.conflicts[c]
        own = [lane for lane in lanes if timeline.lanes[lane]["conflict"] == c]
        groups.append({"id": conflict_id[c], "content": info["label"], "order": order, "conflict": conflict_id[c],
                       "nestedGroups": [lane_id[lane] for lane in own], "showNested": True, "className": "conflict",
                       "treeLevel": 1})
        for i, lane in enumerate(own):
            groups.append({"id": lane_id[lane], "content": timeline.lanes[lane]["label"], "order": i,
                           "conflict": conflict_id[c], "className": "lane-" + timeline.lanes[lane]["kind"],
                           "treeLevel": 2})
            if info["start"] is not None:  # the conflict's period, behind each of its lanes
                items.append({"id": f"period-{lane_id[lane]}", "group": lane_id[lane], "type": "background",
                              "start": _iso(info["start"].first_day()),
                              "end": _iso_after((info["end"] or info["start"]).last_day()),
                              "className": "period", "conflict": conflict_id[c], "period": True})
    for i, e in enumerate(timeline.events):
        items.append(_item(i, e, lane_id[e.lane], conflict_id[e.conflict]))
    return {"groups": groups, "items": items,
            "conflicts": [{"id": conflict_id[c], "label": timeline.conflicts[c]["label"],
                           "window": _conflict_window(timeline, c)} for c in conflicts],
            "precisions": list(PRECISIONS), "involves": list(INVOLVES), "window": _window(timeline, conflicts),
            "sideColours": SIDE_COLOURS, "sideLegend": SIDE_LEGEND, "count": len(timeline.events)}


def _window(timeline: Timeline, conflicts: list[str]) -> dict | None:
    """Where the page opens: with one conflict, its period and the bulk of its events
    (graph.network.timeline.window: the background decades before a war would squeeze it into a corner);
    with several, None: every event (each conflict chosen in the page then opens on its own window)."""
    return _conflict_window(timeline, conflicts[0]) if len(conflicts) == 1 else None


def _conflict_window(timeline: Timeline, conflict: str) -> dict:
    first, last = window(timeline, conflict)
    return {"start": _iso(first), "end": _iso_after(last)}


def _item(i: int, e: Event, lane: str, conflict: str) -> dict:
    point = e.start == e.end and e.precision == "day"
    # a point's text would run on beside it and push the lane apart: its sentence is in the tooltip
    item = {"id": i, "group": lane, "conflict": conflict, "content": "" if point else html.escape(_short(e.text)),
            "start": _iso(e.start.first_day()), "type": "point" if point else "range",
            "className": f"p-{e.precision} {_side_class(_one_side(e.sides))}" + (" inferred" if e.inferred else ""),
            "title": _tooltip(e), "precision": e.precision, "sides": e.sides, "involves": _involves(e),
            "search": event_search_key(e), "colour": SIDE_COLOURS[_one_side(e.sides)]}
    if not point:
        item["end"] = _iso_after(e.end.last_day())
    return item


def _side_class(membership: str) -> str:
    return "side-" + membership.replace(" ", "-")


def side_css() -> str:
    """A point's dot in the side colour of the actors it involves (a range shows it on its left edge)."""
    return "\n".join(f" .vis-item.vis-point.{_side_class(m)} .vis-dot {{ border-color: {c}; background: {c}; }}"
                     for m, c in SIDE_COLOURS.items() if m != "neither")


def _one_side(sides: list[str]) -> str:
    return sides[0] if len(sides) == 1 else "both" if {"side 1", "side 2"} <= set(sides) else "varies"


def _involves(e: Event) -> list[str]:
    kinds = {KIND_OF_ENTITY.get(x["kind"], "other") for x in e.involves}
    if e.place:
        kinds.add("place")
    return sorted(kinds) or ["nothing named"]


def _tooltip(e: Event) -> str:
    """The hover text (vis-timeline shows it as HTML, so every part is escaped)."""
    parts = [f"<b>{html.escape(e.when())}</b>", html.escape(e.text)]
    if e.place:
        parts.append("at " + html.escape(e.place))
    if e.involves:
        parts.append("involves " + html.escape(", ".join(x["label"] for x in e.involves)))
    if e.sides != ["neither"]:
        parts.append("sides: " + html.escape(", ".join(e.sides)))
    if e.sources:
        parts.append("sources:<br>" + "<br>".join("· " + html.escape(s["label"]) for s in e.sources))
    else:
        parts.append("<i>no source given</i>")
    return "<div class='tip'>" + "<br>".join(parts) + "</div>"


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def _iso(day: tuple[int, int, int]) -> str:
    return f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}"


def _iso_after(day: tuple[int, int, int]) -> str:
    """The day after ``day``: a span ends at the end of its last day."""
    try:
        return (dt.date(*day) + dt.timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):  # before year 1 or after 9999: the day itself
        return _iso(day)


def _sort_key(when: When | None) -> tuple:
    return when.first_day() if when else (9999, 0, 0)
