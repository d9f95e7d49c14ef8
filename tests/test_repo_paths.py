"""The repository names no folder of one machine: what runs here must run on a clean clone anywhere."""

from __future__ import annotations

import re
import subprocess

from .conftest import ROOT

# An absolute path of a workstation or a CI box, not an IRI's path segment (``…/wikikg/work/…``, ``…/html/home/…``).
MACHINE_PATH = re.compile(r"(?<![\w.\-:/])/(?:work|home|root|Users|tmp)/[\w.\-]+")


def tracked_text_files() -> list:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / n for n in names if (ROOT / n).is_file() and not n.startswith("seeds/")]


def test_no_file_of_the_repository_names_a_machine_path():
    found = []
    for path in tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
                  for m in MACHINE_PATH.finditer(text)]
    assert found == []


def test_the_pattern_finds_a_machine_path_and_spares_iris():
    root = "/"  # joined here, so that this file does not name a machine path itself
    assert MACHINE_PATH.search(f'Path("{root}work/shared/gold")') and MACHINE_PATH.search(f"cd {root}tmp/wt && ls")
    assert not MACHINE_PATH.search("https://w3id.org/wikikg/work/e7b7f484 http://a.com/html/home/index.html")
