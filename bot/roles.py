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


# Order matters: longer titles first, so "Head of School" is not read as a bare "manager" etc.
_ALIASES: list[tuple[Role, str]] = [
    (Role.DSL, r"designated safeguarding lead|\bDSL\b"),
    (Role.LADO, r"local authority designated officer|\bLADO\b"),
    (Role.SENIOR_LEADERSHIP, r"senior leader(?:ship)?(?: team)?s?|senior management|\bSLT\b"),
    (Role.HEADTEACHER, r"head ?teachers?|head of school|principals?|executive head"),
    (Role.HR, r"\bHR\b|human resources"),
    (Role.LINE_MANAGER, r"line manager|\bmanager\b|\bmanagement\b"),
    (Role.IT, r"\bIT\b(?! policies)|\bICT (?:team|support)\b"),
    (Role.POLICE, r"\bpolice\b"),
    (Role.TRADE_UNION, r"trade unions?|professional association"),
    (Role.COUNSELLING, r"counselling"),
]
# Case matters only for the acronyms ("IT" is not "it").
_ROLE_PATTERNS = [
    (role, re.compile(pattern if re.search(r"\\b[A-Z]{2,}", pattern) else f"(?i:{pattern})"))
    for role, pattern in _ALIASES
]

# A role counts as the contact only where the text sends someone to it: to report, ask, be
# approved or be told. A role that merely does something ("the Headteacher can monitor") does not.
_ROUTING = re.compile(
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
        if _ROUTING.search(sentence):
            roles.extend(r for r in roles_named(sentence) if r not in roles)
    return roles
