"""Remove what is on the page but not in the policy: page furniture, tables, signature lines.

Works on the plain text a reader produced; returns its lines with the furniture gone and blank
lines as ``None`` (the splitter needs to know where paragraphs break, not how many blanks there were).
"""
from __future__ import annotations

import re

_PAGE_MARK = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s+of\s+\d+|-\s*\d+\s*-)$", re.IGNORECASE)
_DOTTED_LEADER = re.compile(r"(?:…{3,}|\.{4,}|_{4,})")
_TERMINAL = re.compile(r"[.;:!?,]$")
_GRID_CELLS = 8
_NUMBERED = re.compile(r"\d+(?:\.\d+)*\.?\s+\S")  # a section heading is never page furniture


def _is_furniture_neighbour(line: str) -> bool:
    # A running header or footer beside a page number: short and not part of a sentence.
    return len(line.split()) <= 6 and not _TERMINAL.search(line) and not _NUMBERED.match(line)


def clean_lines(text: str) -> list[str | None]:
    """The document's lines without page furniture, tables or signature lines; ``None`` is a blank."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    lines: list[str | None] = []
    for line in raw.split("\n"):
        line = line.rstrip()
        # Tab-separated lines are table rows (contents pages, version logs, front-matter grids):
        # never a sentence a member of staff would be quoted.
        if not line.strip() or "\t" in line or _DOTTED_LEADER.search(line):
            lines.append(None)
        else:
            lines.append(line)
    _drop_page_furniture(lines)
    _drop_grids(lines)
    return lines


def _grid_cell(line: str) -> bool:
    return len(line) <= 45 and not _TERMINAL.search(line) and not re.match(r"\s|[-*•o]\s", line)


def _drop_grids(lines: list[str | None]) -> None:
    # A table that lost its tabs: a long run of short cells ("Volunteers", "No Yes") with no
    # sentence among them. Lists keep their markers and indentation, so they are not taken for one.
    run: list[int] = []
    for i, line in enumerate([*lines, "a sentence ends the last run."]):
        if line is None:
            continue
        if _grid_cell(line):
            run.append(i)
            continue
        if len(run) >= _GRID_CELLS:
            for j in run:
                lines[j] = None
        run = []


def _drop_page_furniture(lines: list[str | None]) -> None:
    for i, line in enumerate(lines):
        if line is None or not _PAGE_MARK.match(line.strip()):
            continue
        lines[i] = None
        # One header line above the page number and one below ("Social Media Policy / Page 6 /
        # November 2016"); no further, so a real heading after the break survives.
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and lines[j] is None:
                j += step
            if 0 <= j < len(lines) and _is_furniture_neighbour(lines[j].strip()):
                lines[j] = None
