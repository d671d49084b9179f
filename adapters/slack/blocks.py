"""An ``Answer`` as a Slack message: Block Kit blocks plus a plain ``text`` fallback. Pure: no I/O.

Order: (the question, for private slash-command answers) · the one-line lead · each clause quoted,
its lead-in first, with "Policy · ref · heading" under it · who to ask · notes, the safeguarding
note first and prominent · Helpful / Not helpful / Ask HR.

All user and policy text is escaped, so nothing in it can mention anyone. Slack's limits hold for
any input: a long clause is split over several sections and, past ``SECTIONS_PER_CLAUSE``,
shortened with ``messages.truncated()``; never more than 50 blocks.
"""
from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from adapters.slack.feedback import action_id
from adapters.slack.mrkdwn import escape, fit, wrap
from bot import messages
from bot.models import Answer, Clause, Contact, Verdict

TEXT_LIMIT = 3000  # characters in a section's or a context element's text
MAX_BLOCKS = 50
SECTIONS_PER_CLAUSE = 4  # 12,000 characters of one clause before it is shortened
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
_BUTTONS = ((Verdict.HELPFUL, messages.HELPFUL), (Verdict.NOT_HELPFUL, messages.NOT_HELPFUL),
            (Verdict.ASK_HR, messages.ASK_HR))

Message = dict[str, Any]  # {"text": fallback, "blocks": [...]}: the arguments of chat.postMessage


def notice(text: str) -> Message:
    """A one-sentence reply (not set up, a hint, a thank-you) in the same shape as an answer."""
    body = fit(escape(text), TEXT_LIMIT, " …")
    return {"text": body, "blocks": [_section(body).to_dict()]}


def answer_message(answer: Answer, feedback_value: str, *, anonymous: bool, echo_question: bool = False) -> Message:
    """The whole answer. ``anonymous``: HR's log keeps no asker for this school.
    ``echo_question``: repeat the question first (a slash command's own text is not shown)."""
    head: list[Block] = [_context(messages.you_asked(answer.question))] if echo_question else []
    lead = messages.answered_lead(answer.school_name)
    if not answer.answered:
        lead = messages.not_found(answer.school_name)
        if answer.logged:
            lead += " " + messages.passed_to_hr(anonymous)
    head.append(_section(escape(lead)))
    tail = [_section(contact_line(answer.contact)), *_notes(answer), _buttons(feedback_value)]
    blocks = head + _clauses(answer, MAX_BLOCKS - len(head) - len(tail)) + tail
    urgent = answer.notes[:1] if answer.safeguarding else []  # notifications carry the safeguarding note too
    fallback = "\n".join([lead, *urgent, *(q.clause.citation() for q in answer.clauses),
                          messages.ask_contact(answer.contact)])
    return {"text": fit(escape(fallback), TEXT_LIMIT, " …"), "blocks": [b.to_dict() for b in blocks]}


def contact_line(contact: Contact) -> str:
    """Who to ask: a Slack mention when the school gave the person's Slack id, else name and email."""
    uid = contact.slack_user_id
    name = f"<@{uid}>" if uid and _SLACK_USER.match(uid) else escape(contact.name)
    return messages.ask_contact(contact.model_copy(update={"name": name, "email": escape(contact.email)}))


def quote(clause: Clause, sections: int) -> list[str]:
    """The clause as mrkdwn quote sections of at most ``TEXT_LIMIT`` characters, at most ``sections``."""
    lines = [f"_{escape(clause.lead_in)} …_"] if clause.lead_in else []
    lines += escape(clause.text).splitlines() or [""]
    quoted = [f"> {piece}" if piece.strip() else ">" for line in lines for piece in wrap(line, TEXT_LIMIT - 2)]
    packed: list[str] = []
    for line in quoted:
        if packed and len(packed[-1]) + 1 + len(line) <= TEXT_LIMIT:
            packed[-1] += "\n" + line
        else:
            packed.append(line)
    if len(packed) > sections:
        mark = f"> _{escape(messages.truncated())}_"
        packed = packed[:sections]
        packed[-1] = fit(packed[-1], TEXT_LIMIT - len(mark) - 1, "") + "\n" + mark
    return packed


def _clauses(answer: Answer, room: int) -> list[Block]:
    quoted = answer.clauses[: room // 2]  # each needs at least a quote and its citation
    blocks: list[Block] = []
    for n, q in enumerate(quoted):
        later = len(quoted) - n - 1
        allowance = min(SECTIONS_PER_CLAUSE, room - len(blocks) - 1 - 2 * later)
        blocks += [_section(text) for text in quote(q.clause, allowance)]
        blocks.append(_context(q.clause.citation()))
    return blocks


def _notes(answer: Answer) -> list[Block]:
    """The safeguarding note stands out (bold, full size); review dates are small print."""
    blocks: list[Block] = []
    for n, note in enumerate(answer.notes):
        if n == 0 and answer.safeguarding:
            blocks.append(_section(f"*{fit(escape(note), TEXT_LIMIT - 2, ' …')}*"))
        else:
            blocks.append(_context(note))
    return blocks


def _buttons(value: str) -> ActionsBlock:
    return ActionsBlock(elements=[ButtonElement(text=label, action_id=action_id(verdict), value=value)
                                  for verdict, label in _BUTTONS])


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=mrkdwn, verbatim=True))


def _context(plain: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=fit(escape(plain), TEXT_LIMIT, " …"), verbatim=True)])
