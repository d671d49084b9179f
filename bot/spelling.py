"""Typo tolerance for questions typed on a phone ("schol laptop", "evryone in it").

Only a word that is neither English nor the policies' own vocabulary is corrected, and only to a
word the policies or the synonyms use: a real word the policies never mention ("parking") must
stay as it is, because not finding it is how the bot knows it cannot answer.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

from bot.text import STOP_WORDS

_MIN_LENGTH = 4
_ENDINGS = ("ing", "ed", "s", "d")


@cache
def english_words() -> frozenset[str]:
    """symspellpy's 82,765-word English frequency list, as a set."""
    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


class Speller:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._known = set(vocabulary)
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in self._known:
            if len(word) >= _MIN_LENGTH and word.isalpha():
                self._symspell.create_dictionary_entry(word, 1)

    def correct(self, word: str) -> str:
        if (len(word) < _MIN_LENGTH or not word.isalpha() or word in self._known or word in STOP_WORDS
                or word in english_words()):
            return word  # "dont" is a filler typed without its apostrophe, not a typo for "done"
        for ending in _ENDINGS:  # slang made a verb ("DMing", "snapped"): the known word, not a typo
            if word.endswith(ending) and word[: -len(ending)] in self._known:
                return word[: -len(ending)]
        distance = 1 if len(word) < 7 else 2
        found = self._symspell.lookup(word, Verbosity.TOP, max_edit_distance=distance)
        return found[0].term if found else word
