"""Recognise a question about a child's safety, however it is phrased.

Such a question must always name the policy's safeguarding route, so this errs towards seeing a
concern: an extra pointer to the safeguarding lead costs little, a missed one can cost a child.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_CHILD = (r"\b(?:pupil|student|child|kid|girl|boy|lad|teen|year ?\d{1,2}s?|yr ?\d{1,2}s?|y\d{1,2}s?|ex-?pupil|former pupil"
          r"|daughter|son|learner|sixth[- ]?former|little one|reception|\d{1,2}[- ]?(?:yr|year)[- ]?old)s?")
_MENTIONS_CHILD = re.compile(_CHILD + r"\b")
# Another adult the asker is worried about.
_ADULT = (r"(?:colleague|teacher|member of staff|staff member|\w+ staff|ta|teaching assistant|coach|volunteer"
          r"|cleaner|caretaker|driver|tutor|supervisor|sir|miss|adult|someone|man|bloke|guy|he|she)")
_IMAGES = r"(?:pics?|pictures?|photos?|images?|videos?|vids?|selfies?)"
_CONTACT = r"(?:messag|dm|snap|text|whatsapp|email|call|contact|follow|friend request|add(?:ed|ing)? me|meet|send)"
_NOT = r"(?:does ?n[o']?t|do ?n[o']?t|won'?t|never)"
_GIVE = r"(?:buy|buys|buying|bought|give|gives|giving|gave|given|send|sends|sending|sent|got)"


class _Kind(NamedTuple):
    # How staff describe this kind of concern, in any question...
    patterns: list[str]
    # ...and signs that are only worrying when the question is about a child ("scared", "in the bath").
    with_child: list[str]
    # The words a policy uses for it, so that the question finds the clauses (and the route) about it.
    cues: str


_KINDS: list[_Kind] = [
    _Kind([  # disclosures and harm
        r"\bdisclos", r"\babus(e|ed|ing)\b", r"\bneglect", r"\bbruis", r"\bhit(s|ting)? (her|him|them)\b",
        r"\b(bad|scared|unsafe|not safe|afraid)\b.{0,25}\bhome\b", r"\bhurt(ing)? (her|him|them)sel",
        r"\b" + _NOT + r" feel safe\b", r"\b" + _NOT + r" want to go home\b",
        r"\btouch(es|ed|ing)? (her|him|them)\b", r"\bmarks on (her|his|their)\b",
        r"\bself[- ]?harm", r"\bsuicid", r"\bcutting (her|him|them)sel", r"\b(wants?|wanting) to (die|kill)\b",
        r"\bmissing (from )?education\b", r"\bstopped coming (in|to school)\b",
        r"\bha(s|ve)n'?t been (in|at school|seen) (for|since)\b",
        r"\b(smack|slap|punch|kick)(s|ed|ing)? (his|her|their|a) (child|kid|son|daughter|little)",
        r"\blado\b", r"\ballegations? against\b", r"\bfgm\b", r"\bbecome a woman\b",
    ], [
        r"\b(is|was|seems?|seemed|looks?|looked|'s|gets?|got|really|so|now) (really |so )?(scared|frightened|terrified)\b",
        r"\b(scared|frightened|terrified) (to|of)\b", r"\b(in tears|in bits|withdrawn|uncomfortable|mortified)\b",
        r"\b(gone|been|really|very) (really |very )?(quiet|off)\b",
        r"\b(scratch|cut|burn|bruise)(es|s)?\b.{0,25}\b(arms?|wrists?|legs?|face|neck)\b", r"\blong sleeves\b",
        r"\b(starving|hungry|same clothes|no food|unwashed)\b", r"(?<!walk )\bhome alone\b", r"\bleft alone\b",
        r"\b(smack|slap|beat|punch|kick)(s|ed|en|ing)?\b", r"\bbeaten up\b", r"\bthreat(s|en|ening|ened)?\b",
        r"\bpass(es|ed)? out\b", r"\b(online|viral|tiktok) challenge\b",
        r"\bceremony\b", r"\bnumber on file\b",
    ], "safeguarding harm welfare risk child protection"),
    _Kind([  # sexual content and exploitation
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
        r"\bolder (lad|man|boy|guy|men|teen|kids)", r"\b(older|\d\d[- ]?(yr|year)[- ]?old) (boyfriend|girlfriend)\b",
        r"\b(buys|buying|bought|gives|giving|gave) (her|him|them) (gifts|money|presents|stuff)\b",
        r"\b(gives?|giving) (one |a |the )?" + _CHILD + r" (a )?lifts? home\b",
        r"\bnot to tell (her|his|their) (mum|dad|parents?|carers?)\b", r"\bkeep (this|it) between us\b",
        r"\b(keep|keeping) (it|this|them|their \w+|the \w+) (a )?(secret|private)\b", r"\bspecial friend\b",
        r"\bsomeone (s?he|they) (doesn'?t|don'?t) know\b", r"\b(s?he|they)('s| has| have)? never met\b",
        r"\b(met|meets|meeting) (online|on an app)\b", r"\bcse\b", r"\bcounty lines\b",
        r"\b(pics?|pictures?|photos?|selfies?) of (him|her)self\b",
    ], [
        r"\b(bath|bath ?time|shower|bedroom|getting changed|bikini|underwear|topless|no top on)\b",
        r"\b" + _GIVE + r"\b.{0,30}\b(vapes?|robux|v-?bucks|gift cards?|i?phones?|trainers|cash|money|presents|gifts)\b",
        r"\bnew (i?phone|trainers)\b", r"\b(wads|loads|lots|bundles) of (cash|money)\b", r"\bfavou?rs\b",
        r"\bunless (he|she|they) (pays?|sends?)\b", r"\bwants? money\b", r"\bsend (it|them) round\b",
        r"\b(asking|asks|asked|wants?)( her| him| them)? for (her|his|their) (home )?address\b",
        r"\bwhere (s?he|they) lives?\b", r"\b(asking|asks|asked|wants?)\b.{0,25}\busernames?\b",
        r"\b(put|turn|switch) (her|his|their|the) camera on\b", r"\bpick(s|ed|ing)? (her|him|them) up\b",
        r"\bpicked up (after|from) school\b", r"\b(boyfriend|girlfriend)\b.{0,20}\b(1[6-9]|2\d|twenties)\b",
        r"\bin (his|her|their) twenties\b", r"\bonline (friend|bestie|mate|boyfriend|girlfriend)\b",
        r"\bmet (him |her |them )?on (an|some|a) (app|game)\b", r"\bonly (ever )?(talked|spoken|chatted) to\b",
        r"\bdelete (the |their |her |his )?(chats?|messages?|texts?)\b", r"\bnot to tell (anyone|anybody)\b",
        r"\b(grown[- ]?up|adult|18|18[- ]rated|x[- ]rated|rude|dirty) (videos?|films?|movies?|bits|content)\b",
        r"\blive ?stream", r"\bgo(es|ing)? live\b", r"\brate the (girls|boys)\b",
        r"\b(stunning|gorgeous|sexy|mature for (her|his|their) age)\b", r"\b(miss|love) (u|you)\b", r"\bheart eyes\b",
        r"\blittle (boyfriend|girlfriend)\b", r"\bsends? (him|her|them) stuff\b", r"\bdares?\b", r"\bporn",
    ], "indecent images sexual exploitation grooming safeguarding"),
    _Kind([  # radicalisation
        r"\bradicali[sz]", r"\bextrem(is|e (views|videos|content|stuff|group))", r"\bterroris", r"\bprevent duty\b",
        r"\bfar[- ]right\b", r"\bgo(ing)? (abroad|overseas) to fight\b",
    ], [
        r"\b(the )?enem(y|ies)\b", r"\bthe cause\b", r"\bgot rid of\b", r"\bbombs?\b", r"\bforeigners\b",
        r"\bsymbols\b", r"\bandrew tate\b", r"\bincels?\b", r"\bgo over there\b",
    ], "radicalisation radicalise extremism extremist terrorist terrorism prevent"),
    _Kind([  # a pupil in private contact with an adult
        _CHILD + r".{0,60}\bkeeps? " + _CONTACT,
        _CHILD + r".{0,60}\b" + _CONTACT + r".{0,40}\b(late at night|privately|in private|secret)",
        r"\b" + _ADULT + r"\b.{0,40}\b" + _CONTACT + r".{0,40}\b" + _CHILD + r".{0,30}\b(late|night|private|secret)",
        r"\b" + _ADULT + r"\b.{0,30}\b(keeps?|has been|have been|'s been|is always|always)\s+(\w+ )?" + _CONTACT
        + r".{0,40}\b" + _CHILD,
        _CHILD + r".{0,60}\b(wants|wanting|asked|asking) to meet\b", r"\bwanting to meet\b",
        r"\b(needs|wants) to talk to me privately\b",
        r"\b(follows?|following|added|adds|adding|likes?|liking)\b.{0,15}\b(loads|lots|all) of (the )?" + _CHILD,
        _IMAGES + r" of (our |the )?(pupils|students|children|kids) on (his|her|their) (own|personal) phone",
    ], [
        r"\b" + _ADULT + r"\b.{0,30}\b(adding|added|adds)\b", r"\b(loads|lots|all|some) of (the )?\w+ ?\w* added\b",
        r"\b(gave|giving|gives|given|handing) (\w+ ){0,3}(his|her|their) (own )?(personal )?"
        r"(number|mobile|snapchat|snap|insta|whatsapp)\b",
        r"\b(message|text|call|snap|dm) (him|her|them|me) any ?time\b", r"\bmeet(s|ing)? up\b",
        r"\bstill in touch\b", r"\b(private|extra)\b.{0,20}\b(coaching|lessons|tuition|sessions)\b",
        r"\bwhich (kids|children|pupils|girls|boys) walk home\b",
    ], "messages contact communication relationship grooming"),
]


def _compiled(patterns: list[str]) -> re.Pattern[str]:
    # Questions are lower-cased once (see ``concern``): a case-blind regex is markedly slower.
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_PATTERNS = [(_compiled(kind.patterns), _compiled(kind.with_child), kind.cues) for kind in _KINDS]

# A clause that gives the route: it speaks of safeguarding and sends the reader to someone.
ROUTE_TERMS = re.compile(
    r"safeguard|child protection|designated officer|\bLADO\b|indecent images|radicali|grooming|at risk|e-safety|online safety",
    re.IGNORECASE,
)


def concern(question: str) -> str | None:
    """The policy words for the kinds of concern ``question`` raises, or None if it raises none."""
    question = question.lower()
    child = bool(_MENTIONS_CHILD.search(question))
    cues = [words for always, with_child, words in _PATTERNS
            if always.search(question) or (child and with_child.search(question))]
    return " ".join(cues) if cues else None
