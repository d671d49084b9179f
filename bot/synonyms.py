"""Staff vocabulary → policy vocabulary, from ``knowledge/synonyms.yaml`` (HR extends it, not code)."""
from __future__ import annotations

from pathlib import Path

from bot.config import KnowledgeError, read_yaml
from bot.text import STOP_WORDS, stem, words

SYNONYMS_FILE = "synonyms.yaml"


class Synonyms:
    """Expands a question's words with the policy words they stand for."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self._table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, meanings in table.items():
            key = tuple(stem(w) for w in words(phrase))
            values = tuple(dict.fromkeys(stem(w) for m in meanings for w in words(m) if w not in STOP_WORDS))
            if key and values:
                self._table[key] = tuple(dict.fromkeys(self._table.get(key, ()) + values))
        self._longest = max((len(k) for k in self._table), default=0)
        self.words = frozenset(w for phrase in table for w in words(phrase))

    def __len__(self) -> int:
        return len(self._table)

    def expand(self, stems: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, policy stems) for each staff phrase found in ``stems``, longest match first."""
        found = []
        i = 0
        while i < len(stems):
            for n in range(min(self._longest, len(stems) - i), 0, -1):
                meaning = self._table.get(tuple(stems[i:i + n]))
                if meaning:
                    found.append((i, i + n, meaning))
                    i += n
                    break
            else:
                i += 1
        return found


def load_synonyms(path: Path) -> Synonyms:
    """Read a synonyms file; a missing file means no synonyms, a malformed one is an error."""
    if not path.is_file():
        return Synonyms({})
    raw = read_yaml(path) or {}
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: expected 'staff word: [policy words]' entries")
    table: dict[str, list[str]] = {}
    for key, value in raw.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(key, str) or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise KnowledgeError(f"{path}: entry {key!r}: expected a list of words, e.g. mum: [parent, carer]")
        table[key] = values
    return Synonyms(table)
