"""One tokeniser for clauses and questions alike: words, stop words, stems.

Using the same steps on both sides is what makes BM25 scores comparable (rank-bm25's README makes
the same point); stems let "posting" match "posts" and "friends" match "friend".
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# A hyphenated compound is one word to a reader: "day-to-day" is not about days, "on-line" is "online".
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:'[a-z]+)?")
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_STEMMER = snowballstemmer.stemmer("english")

# Words that carry no topic. Question words and negations are here too: BM25 ranks topics, and
# "who do I tell" or "must not" are read separately (see ``bot.question``).
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down
during each either else etc even ever every few for from further get gets getting got had hadn has
hasn have haven having he her here hers herself him himself his how however i if im in into is
isn it its itself ive just let like ll me might mine more most much must mustn my myself need
needs no nor not now of off oh ok okay on once one only or other ought our ours ourselves out over
own per please re really said same say says shall shan she should shouldn since so some such than
that thats the their theirs them themselves then there these they this those though through thus
to too under until up upon us use used using ve very via was wasn we were weren what whats when
where whether which while who whom whose why will with within without won would wouldn yes yet you
your yours yourself yourselves s t d m
many lot lots cant dont wont isnt arent doesnt didnt wasnt shouldnt wouldnt couldnt hasnt havent ill youre theyre
""".split()) | frozenset(
    # How people talk, not what they ask about: filler of phone-typed questions.
    """
    actually also anybody anyone anything anyway basically bit everybody everyone everything go goes
    going gone know knew literally maybe mean means nobody nothing probably quite quick quickly right
    say saying says somebody someone something somewhere sort stuff sure thing things think thinking
    thought wondering want wanted wants way ways whatever yeah wondered guess kind kinda bit ok okay alright
    """.split()
)


def fold(text: str) -> str:
    """Lower case with typographic quotes and accents folded to plain letters."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """Every word of ``text``, lower case, with possessives and contractions trimmed."""
    found = []
    for word in _WORD.findall(fold(text)):
        head, _, tail = word.replace("-", "").partition("'")
        found.append(head if tail in ("s", "t", "re", "ve", "ll", "d", "m") else head + tail)
    return found


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word[:-1].isdigit() and word.endswith("s"):
        return word[:-1]  # "year 9s", "under 18s": Snowball leaves numbers alone
    return _STEMMER.stemWord(word)


def terms(text: str) -> list[str]:
    """The stemmed content words of ``text``: what the index stores and questions are matched on."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """A quote as it is compared with a document: case, quote style, bullets, emphasis marks and
    whitespace do not count; words and their order do."""
    text = text.translate(_QUOTES).lower()
    # U+F000-F8FF: the private-use glyphs Word's Symbol font leaves behind as bullets in extracted text.
    text = re.sub(r"[\uf000-\uf8ff\u2022\u25aa\u25cf]", " ", text).replace("*", "")
    return re.sub(r"\s+", " ", text).strip()
