"""The JavaScript libraries the pages inline (graph/network/vendor/, refreshed by scripts/vendor_js.sh) and
the page templates (graph/network/templates/): read from the installed package, never fetched."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

VIS_NETWORK = "vis-network.min.js"
VIS_TIMELINE = "vis-timeline-graph2d.min.js"
MARKER = re.compile(r"\{\{([A-Z_]+)\}\}")


@lru_cache(maxsize=4)
def script(name: str) -> str:
    """A vendored library's code, safe inside an inline <script> element."""
    text = (files("graph.network") / "vendor" / name).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


def version(package: str) -> str:
    """The vendored version of ``package`` (vis-network, vis-timeline), as VERSIONS records it."""
    for line in (files("graph.network") / "vendor" / "VERSIONS").read_text(encoding="utf-8").splitlines():
        name, _, rest = line.partition(" ")
        if name == package:
            return rest.split()[0]
    raise KeyError(package)


def template(name: str) -> str:
    return (files("graph.network") / "templates" / name).read_text(encoding="utf-8")


def json_for_script(data: object) -> str:
    """JSON that can sit inside an inline <script>: no '</' (it could close the element) and no U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def fill(page: str, **parts: str) -> str:
    """Put each part in place of its {{NAME}} marker, in one pass (so a part's own text is never rescanned;
    the templates hold CSS and JS braces, hence no str.format)."""
    missing = {name.upper() for name in parts} - set(MARKER.findall(page))
    if missing:
        raise ValueError(f"page template has no {', '.join(sorted(missing))}")
    return MARKER.sub(lambda m: parts[m.group(1).lower()], page)
