"""Recognise a question about a child's safety, however it is phrased.

Such a question must always name the policy's safeguarding route, so this errs towards seeing a
concern: an extra pointer to the safeguarding lead costs little, a missed one can cost a child.
"""
from __future__ import annotations

import re

_CHILD = (r"(?:pupil|student|child|kid|girl|boy|lad|teen|year ?\d{1,2}s?|y\d{1,2}|ex-?pupil|former pupil"
          r"|daughter|son|learner)s?")
# Another adult the asker is worried about.
_ADULT = (r"(?:colleague|teacher|member of staff|staff member|\w+ staff|ta|teaching assistant|coach|volunteer"
          r"|cleaner|caretaker|adult|someone|man|he|she)")
_IMAGES = r"(?:pics?|pictures?|photos?|images?|videos?|vids?)"
_CONTACT = r"(?:messag|dm|snap|text|whatsapp|email|call|contact|follow|friend request|add(?:ed|ing)? me|meet|send)"
_NOT = r"(?:does ?n[o']?t|do ?n[o']?t|won'?t|never)"

# Each kind of concern: how staff describe it, and the words a policy uses for it, so that a
# question finds the clauses (and the route) about that kind of harm.
_KINDS: list[tuple[list[str], str]] = [
    ([  # disclosures and harm
        r"\bdisclos", r"\babus(e|ed|ing)\b", r"\bneglect", r"\bbruis", r"\bhit(s|ting)? (her|him|them)\b",
        r"\b(bad|scared|unsafe|not safe|afraid)\b.{0,25}\bhome\b", r"\bhurt(ing)? (her|him|them)sel",
        r"\b" + _NOT + r" feel safe\b", r"\b" + _NOT + r" want to go home\b",
        r"\btouch(es|ed|ing)? (her|him|them)\b", r"\bmarks on (her|his|their)\b",
        r"\bself[- ]?harm", r"\bsuicid", r"\bcutting (her|him|them)sel", r"\b(wants?|wanting) to (die|kill)\b",
        r"\bmissing (from )?education\b", r"\bstopped coming (in|to school)\b",
        r"\bha(s|ve)n'?t been (in|at school|seen) for (days|weeks|ages)\b",
        r"\b(smack|slap|punch|kick)(s|ed|ing)? (his|her|their|a) (child|kid|son|daughter|little)",
        r"\blado\b", r"\ballegations? against\b",
    ], "safeguarding harm welfare risk child protection"),
    ([  # sexual content and exploitation
        r"\bindecent\b", r"\bnudes?\b", r"\bsexting\b", r"\bsexual\b.{0,40}\b" + _CHILD,
        _CHILD + r".{0,40}\bsexual\b", r"\bchild (abuse|porn|sexual)", r"\bgroom", r"\bexploit",
        r"\b(asking|asked|ask) (her|him|them|me) for (pics|pictures|photos|images|nudes|selfies)",
        r"\b(asked|asking|asks) for " + _IMAGES + r" of (her|him)\b",
        r"\bsend " + _IMAGES + r" of (herself|himself|themselves)\b",
        _CHILD + r".{0,40}\bsend(s|ing)? (" + _IMAGES + r"|nudes|selfies)\b",
        r"\b(horrible|dodgy|indecent|rude|explicit|disgusting|grim)\b.{0,20}\b" + _IMAGES,
        r"\b(no|without) clothes on\b", r"\bnaked\b", r"\bbarely anything on\b",
        r"\b(take|taking|took) (her|his|their) (top|clothes|shirt)",
        r"\b(photograph|photographing|filming|pics of|photos of) (the |our )?(kids|pupils|children|girls|boys)"
        r" in the changing",
        r"\bolder (lad|man|boy|guy|men|teen)", r"\b(older|\d\d[- ]?(yr|year)[- ]?old) (boyfriend|girlfriend)\b",
        r"\b(buys|buying|bought|gives|giving|gave) (her|him|them) (gifts|money|presents|stuff)\b",
        r"\b(gives?|giving) (one |a |the )?" + _CHILD + r" (a )?lifts? home\b",
        r"\bnot to tell (her|his|their) (mum|dad|parents?|carers?)\b", r"\bkeep (this|it) between us\b",
        r"\b(keep|keeping) (it|this|them|their \w+|the \w+) (a )?secret\b", r"\bspecial friend\b",
        r"\bsomeone (s?he|they) (doesn'?t|don'?t) know\b", r"\b(s?he|they)('s| has| have)? never met\b",
        r"\b(met|meets|meeting) (online|on an app)\b", r"\bcse\b", r"\bfgm\b",
    ], "indecent images sexual exploitation grooming safeguarding"),
    ([  # radicalisation
        r"\bradicali[sz]", r"\bextrem(is|e (views|videos|content|stuff|group))", r"\bterroris", r"\bprevent duty\b",
        r"\bfar[- ]right\b", r"\bgo(ing)? (abroad|overseas) to fight\b",
    ], "radicalisation radicalise extremism extremist terrorist terrorism prevent"),
    ([  # a pupil in private contact with an adult
        _CHILD + r".{0,60}\bkeeps? " + _CONTACT,
        _CHILD + r".{0,60}\b" + _CONTACT + r".{0,40}\b(late at night|privately|in private|secret)",
        r"\b" + _ADULT + r"\b.{0,40}\b" + _CONTACT + r".{0,40}\b" + _CHILD + r".{0,30}\b(late|night|private|secret)",
        r"\b" + _ADULT + r"\b.{0,30}\b(keeps?|has been|have been|'s been|is always|always)\s+(\w+ )?" + _CONTACT
        + r".{0,40}\b" + _CHILD,
        r"\b" + _CHILD + r".{0,60}\b(wants|wanting|asked|asking) to meet\b", r"\bwanting to meet\b",
        r"\b(needs|wants) to talk to me privately\b",
        r"\b(follows?|following|added|adds|adding|likes?|liking)\b.{0,15}\b(loads|lots|all) of (the )?" + _CHILD,
        _IMAGES + r" of (our |the )?(pupils|students|children|kids) on (his|her|their) (own|personal) phone",
    ], "messages contact communication relationship grooming"),
]
_PATTERNS = [(re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE), cues)
             for patterns, cues in _KINDS]

# A clause that gives the route: it speaks of safeguarding and sends the reader to someone.
ROUTE_TERMS = re.compile(
    r"safeguard|child protection|designated officer|\bLADO\b|indecent images|radicali|grooming|at risk|e-safety|online safety",
    re.IGNORECASE,
)


def concern(question: str) -> str | None:
    """The policy words for the kinds of concern ``question`` raises, or None if it raises none."""
    cues = [words for pattern, words in _PATTERNS if pattern.search(question)]
    return " ".join(cues) if cues else None
