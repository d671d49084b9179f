"""Read cleaned policy lines into blocks: headings, numbered clauses, list items and paragraphs.

Real uploads lose their layout: bullets become ``- `` or a bare leading space, clauses break mid
sentence (sometimes across a blank line), and headings are just short lines. The rules below read
those signs the way a person would; ``segment`` then turns blocks into citable clauses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from bot.ingest.cleaning import clean_lines

_SECTION = re.compile(r"^(\d{1,2})\.?\s+(.+)$")
_APPENDIX = re.compile(r"^(Appendix\s+[0-9IVXivx]+|Annex\s+[0-9A-Z])\b[.:]?\s*(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
_CLAUSE = re.compile(r"^(?:[-*•]\s+)?(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_LETTERED = re.compile(r"^((?:[-*•]\s+)?(\((?:[a-z]|[ivx]{1,4})\)))\s+(\S.*)$")
_LIST_NUMBER = re.compile(r"^(\d{1,2}[.)])\s+(\S.*)$")
_BULLET = re.compile(r"^([-*•▪●◦\uf0b7\uf0a7o])\s+(\S.*)$")
_TERMINAL = re.compile(r"[.;:!?]['\")\]”’]*$|:-$")
# A short line ending in one of these is a sentence broken across lines, not a heading.
_TRAILING_FUNCTION_WORD = re.compile(
    r"\b(?:and|or|of|the|to|in|for|with|a|an|by|under|on|at|from|as|that|which|is|are|be)$", re.IGNORECASE
)


class Kind(Enum):
    HEADING = "heading"
    CLAUSE = "clause"
    ITEM = "item"
    PARAGRAPH = "paragraph"


@dataclass
class Block:
    kind: Kind
    lines: list[str]
    number: str = ""  # a clause's or section's own number: "4.6", "7", "Appendix 2"
    marker: str = ""  # a list item's marker as printed: "-", "- (b)", "1.", "" for a lost glyph
    depth: int = 0  # list nesting; headings: 1 = section, 2 = sub-heading
    indent: int = 0  # leading spaces of its first line
    children: list[Block] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The letter or numeral a reader cites the item by ("(b)"), if it has one."""
        found = re.search(r"\([a-z]+\)", self.marker)
        return found.group(0) if found else ""

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())

    def finished(self) -> bool:
        return bool(_TERMINAL.search(self.text))


def _strip_emphasis(line: str) -> str:
    return re.sub(r"\*{1,2}(?=\S)(.+?)(?<=\S)\*{1,2}", r"\1", line)


def heading_like(line: str, numbered: bool = False) -> bool:
    """A short title-like line; ``numbered`` headings may end in a preposition ("who it applies to")."""
    words = line.split()
    return (
        0 < len(words) <= 10
        and len(line) <= 72
        and (line[0].isupper() or line[0].isdigit())
        and not re.search(r"[.;,:!]$|:-$" if numbered else r"[.;,:!?]$|:-$", line)
        and not re.search(r"[\"“”]", line)
        and (numbered or not _TRAILING_FUNCTION_WORD.search(line))
        and any(ch.isalpha() for ch in line)
    )


def _carries_on(before: str, line: str) -> bool:
    """Whether ``line``, after a blank, continues the sentence ``before`` left unfinished."""
    if _TERMINAL.search(before):
        return False
    return (
        line[:1].islower()
        or line[:1].isdigit()  # a real clause number was recognised before this is asked
        or bool(_TRAILING_FUNCTION_WORD.search(before))
        or before.endswith((",", "-", "–"))
        or before.count("(") > before.count(")")
    )


def _shouting(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


class _Reader:
    def __init__(self, lines: list[str | None]) -> None:
        self.lines = lines
        # Documents whose bullets survived as "- " treat an indented line as a wrapped line; those
        # whose bullet glyphs were lost show each item only as a line starting with a space.
        self.glyph_bullets = sum(1 for ln in lines if ln and re.match(r"^\s*[-*•]\s", ln)) < 3
        self.blocks: list[Block] = []

    @property
    def current(self) -> Block | None:
        return self.blocks[-1] if self.blocks else None

    def list_open(self) -> bool:
        last = self.current
        return last is not None and (last.kind is Kind.ITEM or (last.kind is not Kind.HEADING and last.text.endswith((":", ":-"))))

    def next_line(self, i: int) -> str | None:
        return self.lines[i + 1].strip() if i + 1 < len(self.lines) and self.lines[i + 1] else None

    def read(self) -> list[Block]:
        starts_paragraph = True
        for i, raw in enumerate(self.lines):
            if raw is None:
                starts_paragraph = True
                continue
            self._line(raw, i, starts_paragraph)
            starts_paragraph = False
        return self.blocks

    def _line(self, raw: str, i: int, starts_paragraph: bool) -> None:
        line = _strip_emphasis(raw.strip())
        indent = len(raw) - len(raw.lstrip())
        current = self.current
        after_sentence = current is None or current.kind is Kind.HEADING or current.finished()
        nxt = self.next_line(i)
        heading_follows_rule = nxt is None or not nxt[:1].islower()

        if (
            (starts_paragraph or after_sentence) and (m := _SECTION.match(line)) and heading_like(m.group(2), True)
            and not self._continues_numbered_list(m.group(1))
        ):
            self.blocks.append(Block(Kind.HEADING, [m.group(2)], number=m.group(1), depth=1))
        elif starts_paragraph and (m := _APPENDIX.match(line)) and (not m.group(2) or heading_like(m.group(2))):
            self.blocks.append(Block(Kind.HEADING, [m.group(2)] if m.group(2) else [], number=m.group(1), depth=1))
        elif (m := _MD_HEADING.match(line)) and starts_paragraph:
            self.blocks.append(Block(Kind.HEADING, [m.group(2)], depth=1 if len(m.group(1)) <= 2 else 2))
        elif m := _CLAUSE.match(line):
            self.blocks.append(Block(Kind.CLAUSE, [m.group(2)], number=m.group(1)))
        elif m := _LETTERED.match(line):
            # Lettered items are the clause's own sub-clauses, however the extraction indented them.
            self.blocks.append(Block(Kind.ITEM, [m.group(3)], marker=m.group(1), depth=0))
        elif (m := _BULLET.match(line)) and (m.group(1) != "o" or m.group(2)[:1].isupper()):
            marker = "-" if m.group(1) in "-*" else m.group(1)
            # Word's second-level bullet survives extraction as a letter "o".
            depth = 1 if marker == "o" else self._depth(indent)
            self.blocks.append(Block(Kind.ITEM, [m.group(2)], marker=marker, depth=depth))
        elif (m := _LIST_NUMBER.match(line)) and self.list_open():
            self.blocks.append(Block(Kind.ITEM, [m.group(2)], marker=m.group(1), depth=self._depth(indent)))
        elif _shouting(line) and heading_like(line):
            self.blocks.append(Block(Kind.HEADING, [line], depth=1 if len(line.split()) >= 3 else 2))
        elif self.glyph_bullets and indent and self.list_open() and (starts_paragraph or indent >= 2):
            self.blocks.append(Block(Kind.ITEM, [line], marker="", depth=0))
        elif not starts_paragraph and after_sentence and heading_like(line) and nxt is None and len(line.split()) <= 4:
            # A title with no blank line above it; longer lines here are the tail of a sentence.
            self.blocks.append(Block(Kind.HEADING, [line], depth=2))
        elif self.glyph_bullets and indent == 1 and not starts_paragraph and after_sentence:
            self.blocks.append(Block(Kind.PARAGRAPH, [line]))  # lost-glyph items show two spaces here
        elif current is not None and not starts_paragraph and current.kind is not Kind.HEADING:
            current.lines.append(line)
        elif current is not None and current.kind is not Kind.HEADING and _carries_on(current.text, line):
            current.lines.append(line)  # a sentence broken across a blank line
        elif heading_like(line) and heading_follows_rule and not self._first_item_under(current, indent):
            self.blocks.append(Block(Kind.HEADING, [line], depth=2, indent=indent))
        else:
            self.blocks.append(Block(Kind.PARAGRAPH, [line]))

    def _first_item_under(self, current: Block | None, indent: int) -> bool:
        """A lost-glyph item right under a flush-left sub-heading looks like a second heading."""
        return (self.glyph_bullets and indent > 0 and current is not None and current.kind is Kind.HEADING
                and current.depth == 2 and current.indent == 0)

    def _continues_numbered_list(self, number: str) -> bool:
        """Whether "N. Title" is the next item of a numbered list rather than a section heading."""
        current = self.current
        if current is None or current.kind is Kind.HEADING:
            return False
        if current.kind is Kind.ITEM and current.marker[:-1].isdigit():
            return int(number) == int(current.marker[:-1]) + 1
        return number == "1" and current.text.endswith((":", ":-"))

    def _depth(self, indent: int) -> int:
        return 1 if indent and not self.glyph_bullets else 0


def read_blocks(text: str) -> list[Block]:
    """The document's blocks in reading order."""
    return _Reader(clean_lines(text)).read()
