"""How staff have asked about a school's clauses (``knowledge/<school>/examples.yaml``).

Staff rarely use a policy's words, and a synonyms table only covers words, not whole ways of
asking ("do I have to follow all this?" is about who the policy applies to). Each clause can carry
questions it has answered; their words become a light extra field of the clause in the index, the
way document expansion with likely questions (doc2query) does in search engines. A question
resembling one a clause has answered before then finds that clause.

Each entry names its clause by a quote, so the file survives re-segmenting and stays readable to
HR. A quote a policy no longer contains is reported and skipped rather than stopping the bot: the
policy was edited and the example has gone stale, but every other answer is still right.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from bot.config import KnowledgeError, read_yaml
from bot.models import Clause
from bot.text import normalise, terms

EXAMPLES_FILE = "examples.yaml"
_MIN_QUOTE_WORDS = 3
_HEADER = """\
# Questions staff have asked, each listed under a quote from the clause that answers it (the quote
# is matched against the policy text ignoring case, quote style and spacing). Their words help the
# bot find that clause when someone asks the same thing in their own words. Add to it with
# `policybot learn QUESTIONS_FILE`; never with the questions you measure the bot on.
"""

log = logging.getLogger(__name__)


class ClauseExamples(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clause: str = Field(description="A quote from the clause, word for word")
    asked: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1, description="Questions this clause answers, as staff asked them"
    )

    @field_validator("clause")
    @classmethod
    def _identifies_a_clause(cls, quote: str) -> str:
        # One or two words would be found in many clauses and attach the questions to all of them.
        if len(normalise(quote).split()) < _MIN_QUOTE_WORDS:
            raise ValueError(f"quote at least {_MIN_QUOTE_WORDS} words of the clause, word for word")
        return quote


_FILE = TypeAdapter(list[ClauseExamples])


def read_examples(path: Path) -> list[ClauseExamples]:
    """The entries of an examples file; none if there is no file; a malformed file is an error."""
    if not path.is_file():
        return []
    raw = read_yaml(path)
    shape = "expected a list of '- clause: <quote>' entries, each with 'asked: [questions]'"
    if not isinstance(raw, list | None):
        raise KnowledgeError(f"{path}: {shape}")
    try:
        return _FILE.validate_python(raw or [])
    except ValidationError as exc:
        first = exc.errors()[0]
        number, *field = first["loc"]
        where = f"entry {int(number) + 1}" + (f", {'.'.join(map(str, field))}" if field else "")
        raise KnowledgeError(f"{path}: {where}: {first['msg']} ({shape})") from None


def write_examples(path: Path, entries: list[ClauseExamples]) -> None:
    body = yaml.safe_dump([e.model_dump() for e in entries], sort_keys=False, allow_unicode=True, width=120)
    partial = path.with_suffix(".yaml.tmp")
    partial.write_text(_HEADER + body, encoding="utf-8")
    partial.replace(path)  # a crash mid-write never leaves HR's file half written


class _Quotes:
    """Finds the clauses a quote is taken from, compared as quotes are (``normalise``)."""

    def __init__(self, clauses: list[Clause]) -> None:
        self._texts = [normalise(c.text) for c in clauses]

    def owners(self, quote: str) -> list[int]:
        key = normalise(quote)
        return [i for i, text in enumerate(self._texts) if key in text]


def examples_by_clause(entries: list[ClauseExamples], clauses: list[Clause], source: Path) -> list[list[str]]:
    """The example questions of each clause, in clause order. A quote found in several clauses
    belongs to each; a quote found in none is logged (naming ``source``) and skipped."""
    quotes = _Quotes(clauses)
    found: list[list[str]] = [[] for _ in clauses]
    for entry in entries:
        owners = quotes.owners(entry.clause)
        if not owners:
            log.warning("%s: no clause contains %r any more; its %d example question(s) are not used",
                        source, entry.clause[:80], len(entry.asked))
        for i in owners:
            found[i].extend(entry.asked)
    return found


def content_words(question: str) -> frozenset[str]:
    return frozenset(terms(question))


def near_copy(question: frozenset[str], measured: list[frozenset[str]], threshold: float = 0.4) -> bool:
    """Whether a question's ``content_words`` overlap a measured question's by ``threshold`` or more
    (Jaccard): teaching the bot with near-copies of its test questions would flatter the measurement."""
    return any(len(question & m) >= threshold * len(question | m) for m in measured if question | m)


def learn(entries: list[ClauseExamples], asked: list[tuple[str, list[str]]],
          clauses: list[Clause]) -> tuple[list[ClauseExamples], int, dict[str, str]]:
    """``entries`` with each (question, quotes of the clauses that answer it) added under its quotes.

    Returns the new entries, how many questions were added, and each quote that could not be used
    with the reason. A question already listed under a quote (ignoring case and spacing) is not
    added again."""
    found = _Quotes(clauses)
    lists = {normalise(e.clause): (e.clause, list(e.asked)) for e in entries}
    added, skipped = 0, {}
    for question, quotes in asked:
        for quote in quotes:
            key = normalise(quote)
            if len(key.split()) < _MIN_QUOTE_WORDS:
                skipped[quote] = f"shorter than {_MIN_QUOTE_WORDS} words"
            elif not found.owners(quote):
                skipped[quote] = "not in any clause"
            else:
                _, listed = lists.setdefault(key, (quote, []))
                if normalise(question) not in {normalise(q) for q in listed}:
                    listed.append(question)
                    added += 1
    return [ClauseExamples(clause=quote, asked=listed) for quote, listed in lists.values()], added, skipped
