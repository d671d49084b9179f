"""Canonical contact roles and how policy text names them."""
from __future__ import annotations

import re
from enum import StrEnum


class Role(StrEnum):
    HEADTEACHER = "headteacher"
    HR = "hr"
    LINE_MANAGER = "line_manager"
    SENIOR_LEADERSHIP = "senior_leadership"
    DSL = "dsl"
    LADO = "lado"
    IT = "it"
    POLICE = "police"
    TRADE_UNION = "trade_union"
    COUNSELLING = "counselling"


# Titles are matched in any case; acronyms only in capitals ("IT" is not "it"). Longer titles come
# first, so "Head of School" is not also read as a bare "manager".
_ALIASES: list[tuple[Role, str, str | None]] = [
    (Role.DSL, r"designated safeguarding lead", r"DSL"),
    (Role.LADO, r"local authority designated officer", r"LADO"),
    (Role.SENIOR_LEADERSHIP, r"senior leader(?:ship)?(?: team)?s?|senior management", r"SLT"),
    (Role.HEADTEACHER, r"head ?teachers?|head of school|principals?|executive head", None),
    (Role.HR, r"human resources", r"HR"),
    (Role.LINE_MANAGER, r"line manager|manager|management", None),
    (Role.IT, r"ICT (?:team|support)", r"IT(?! policies)"),
    (Role.POLICE, r"police", None),
    (Role.TRADE_UNION, r"trade unions?|professional association", None),
    (Role.COUNSELLING, r"counselling", None),
]
_ROLE_PATTERNS = [
    (role, re.compile(rf"(?i:\b(?:{title})\b)" + (rf"|\b{acronym}\b" if acronym else "")))
    for role, title, acronym in _ALIASES
]

# A role counts as the contact only where the text sends someone to it: to report, ask, be
# approved or be told. A role that merely does something ("the Headteacher can monitor") does not.
ROUTING = re.compile(
    r"(?i)\b(report|inform|raise[sd]?|refer|referred|discuss|contact|advice|advise|ask|notif|notify|"
    r"pass(?:ed)? on|approv|authoris|permission|agreed|clarification|directed|question|queries|query|"
    r"consult|speak|tell|seek|support|concern)"
)


def roles_named(text: str) -> list[Role]:
    """Roles mentioned in ``text``, in reading order, without repeats."""
    found: list[tuple[int, Role]] = []
    taken: list[tuple[int, int]] = []
    for role, pattern in _ROLE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(start < span[1] and span[0] < end for start, end in taken):
                continue
            taken.append(span)
            found.append((span[0], role))
    ordered: list[Role] = []
    for _, role in sorted(found):
        if role not in ordered:
            ordered.append(role)
    return ordered


def routing_roles(text: str) -> list[Role]:
    """Roles that a sentence of ``text`` sends the reader to, in reading order."""
    roles: list[Role] = []
    for sentence in re.split(r"(?<=[.;!?])\s+", text):
        if ROUTING.search(sentence):
            roles.extend(r for r in roles_named(sentence) if r not in roles)
    return roles
