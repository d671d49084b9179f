"""Turn a policy's blocks into clauses a reader would cite, each quoted exactly as written.

- A numbered clause ("4.6") is one clause; its lettered items ("6.3(b)") are clauses of their own.
- A list under a lead-in ("When using social media, staff must not:") gives one clause per item,
  each remembering the lead-in, so the quote still makes sense on its own. A list of short items
  (a list of site types, of Acts) stays inside the clause that introduces it.
- A paragraph is a clause; its reference is the numbered section it sits in, if any.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.blocks import Block, Kind, read_blocks
from bot.models import Clause

# Lists whose items are this short on average read as one sentence with its examples.
_SHORT_ITEM_WORDS = 10
_MIN_WORDS = 4
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'(])")


@dataclass
class _Context:
    section: str = ""  # the numbered section or appendix the text is in
    title: str = ""  # that section's heading
    subheading: str = ""

    @property
    def heading(self) -> str:
        return " › ".join(part for part in (self.title, self.subheading) if part)


def last_sentence(text: str) -> str:
    return _SENTENCE_END.split(text)[-1]


def _attach_items(blocks: list[Block]) -> list[tuple[Block, _Context]]:
    """Give every list item a parent (the block that introduces it) and each block its context."""
    placed: list[tuple[Block, _Context]] = []
    context = _Context()
    parents: list[Block | None] = [None, None]  # the block items of depth 0 / 1 belong to
    for block in blocks:
        if block.kind is Kind.HEADING:
            if block.depth == 1:
                context = _Context(section=block.number, title=block.text)
            else:
                context = _Context(context.section, context.title, block.text)
            parents = [None, None]
            continue
        if block.kind is Kind.ITEM:
            parent = parents[block.depth] if block.depth < len(parents) else None
            if parent is None and block.depth == 1:
                parent = parents[0]
            if parent is not None:
                parent.children.append(block)
                if block.depth == 0:
                    parents[1] = block
                continue
            parents = [None, block]  # an item without a lead-in stands alone
        else:
            introduces = block.kind is Kind.CLAUSE or block.text.endswith((":", ":-"))
            # Sub-items ("o ...") complete the sentence before them even without a colon.
            parents = [block if introduces else None, block]
        placed.append((block, context))
    return placed


def _item_lines(block: Block, indent: str = "") -> list[str]:
    """A block's items as printed lines, nested items indented under theirs."""
    lines = []
    for item in block.children:
        lines.append(f"{indent}{item.marker or '•'} {item.text}")
        lines.extend(_item_lines(item, indent + "  "))
    return lines


class _Builder:
    def __init__(self, school: str, policy: str, source: str) -> None:
        self.school, self.policy, self.source = school, policy, source
        self.clauses: list[Clause] = []

    def add(self, text: str, ref: str, heading: str, lead_in: str | None = None) -> None:
        if lead_in is None and len(text.split()) < _MIN_WORDS:
            return  # form fields ("SIGNED:"), table cells, stray numbers: nothing to quote
        self.clauses.append(Clause(
            id=f"{self.school}/{self.source}#{len(self.clauses) + 1}", school=self.school,
            policy=self.policy, ref=ref, heading=heading, lead_in=lead_in, text=text,
        ))

    def block(self, block: Block, ref: str, heading: str, lead_in: str | None = None) -> None:
        items = block.children
        if not items:
            self.add(block.text, ref, heading, lead_in)
            return
        words = sum(len(item.text.split()) for item in items) / len(items)
        if words <= _SHORT_ITEM_WORDS:
            self.add("\n".join([block.text, *_item_lines(block)]), ref, heading, lead_in)
            return
        intro = last_sentence(block.text)
        if intro != block.text or not block.text.endswith((":", ":-")):
            self.add(block.text, ref, heading, lead_in)  # more than a bare lead-in: worth quoting itself
        for item in items:
            self.block(item, f"{ref}{item.label}" if ref else item.label.strip("()"), heading, intro)


def split_clauses(text: str, *, school: str, policy: str, source: str) -> list[Clause]:
    """The clauses of one policy document, in reading order."""
    builder = _Builder(school, policy, source)
    for block, context in _attach_items(read_blocks(text)):
        ref = block.number if block.kind is Kind.CLAUSE else context.section
        builder.block(block, ref, context.heading)
    return builder.clauses
