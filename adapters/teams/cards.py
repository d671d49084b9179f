"""An ``Answer`` as an Adaptive Card, and the card's buttons read back: pure data in, plain dicts out.

Text the bot did not write (the question, the policy's own words, headings) goes into
``RichTextBlock``/``TextRun``, which renders no Markdown and no HTML, so a question such as
``**bold** <b>x</b>`` is shown exactly as typed and a clause reading ``1. Staff must...`` is not
turned into a list. A mention of the contact goes in the message beside the card (``contact_mention``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.models import Answer, Clause, Contact, Verdict

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"  # the highest version Teams renders on desktop, web and mobile
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_CLAUSE_CHARS = 4000  # three clauses, the question and the rest stay well under Teams' 28 KB
MAX_CLAUSE_IDS = 10

ACTION_KEY = "policybot"  # marks submit data as ours
FEEDBACK = "feedback"
_BUTTONS = ((Verdict.HELPFUL, messages.HELPFUL), (Verdict.NOT_HELPFUL, messages.NOT_HELPFUL),
            (Verdict.ASK_HR, messages.ASK_HR))


@dataclass(frozen=True)
class FeedbackSubmit:
    """What a Helpful / Not helpful / Ask HR button sends back."""

    verdict: Verdict
    question: str
    clause_ids: list[str]


def answer_card(answer: Answer, *, anonymous: bool) -> dict[str, Any]:
    """The card for one answer; ``anonymous`` says whether HR's log keeps who asked."""
    safeguarding = messages.safeguarding_note(answer.contact) if answer.safeguarding else None
    school = answer.school_name
    lead = messages.answered_lead(school) if answer.answered else messages.not_found(school)
    body: list[dict[str, Any]] = [
        _text(messages.you_asked(answer.question), subtle=True),
        _text(lead, bold=True),
    ]
    if safeguarding in answer.notes:
        body.append(_text(safeguarding, bold=True, color="attention"))  # safety first, above the rest
    if answer.answered:
        body.extend(_clause(q.clause) for q in answer.clauses)
    elif answer.logged:
        body.append(_text(messages.passed_to_hr(anonymous=anonymous)))
    body.append(_text(messages.ask_contact(answer.contact)))
    body.extend(_text(note, subtle=True) for note in answer.notes if note != safeguarding)

    card: dict[str, Any] = {
        "type": "AdaptiveCard", "$schema": SCHEMA_URL, "version": CARD_VERSION,
        "fallbackText": f"{lead} {messages.ask_contact(answer.contact)}", "body": body,
    }
    if answer.answered:
        clause_ids = [q.clause.id for q in answer.clauses]
        card["actions"] = [_feedback_button(title, verdict, answer.question, clause_ids)
                           for verdict, title in _BUTTONS]
    return card


def read_feedback(value: object) -> FeedbackSubmit | None:
    """The button a reader pressed, or None if ``value`` is not exactly what our buttons send."""
    if not isinstance(value, dict) or value.get(ACTION_KEY) != FEEDBACK:
        return None
    verdict, question, clause_ids = value.get("verdict"), value.get("question"), value.get("clauses", [])
    if verdict not in {v.value for v in Verdict}:
        return None
    if not isinstance(question, str) or not question.strip() or len(question) > messages.MAX_QUESTION_CHARS:
        return None
    if not isinstance(clause_ids, list) or len(clause_ids) > MAX_CLAUSE_IDS:
        return None
    if not all(isinstance(c, str) and 0 < len(c) <= 500 for c in clause_ids):
        return None
    return FeedbackSubmit(Verdict(verdict), question, clause_ids)


def _text(text: str, *, bold: bool = False, subtle: bool = False, color: str | None = None) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": text}
    if bold:
        run["weight"] = "bolder"
    if subtle:
        run["isSubtle"] = True
    if color:
        run["color"] = color
    return {"type": "RichTextBlock", "inlines": [run]}


def _clause(clause: Clause) -> dict[str, Any]:
    text = clause.text
    if len(text) > MAX_CLAUSE_CHARS:
        text = text[:MAX_CLAUSE_CHARS].rsplit(" ", 1)[0] + " " + messages.truncated()
    items = [_text(clause.citation(), bold=True, subtle=True)]
    if clause.lead_in:
        items.append(_text(f"{clause.lead_in} …"))  # an item means nothing without its lead-in
    items.append(_text(f"“{text}”"))
    return {"type": "Container", "separator": True, "items": items}


def contact_mention(contact: Contact) -> tuple[str, dict[str, Any]] | None:
    """The message text that mentions the contact, and its mention entity, when their Teams id is known.

    The mention travels in the message beside the card, not inside it: an in-card mention needs the
    ``msteams`` card extension, which the Adaptive Cards schema does not allow.
    """
    if not contact.teams_user_id:
        return None
    name = contact.name.replace("<", "").replace(">", "")
    at = f"<at>{name}</at>"
    mention = {"type": "mention", "text": at, "mentioned": {"id": contact.teams_user_id, "name": contact.name}}
    return messages.ask_contact(contact.model_copy(update={"name": at})), mention


def _feedback_button(title: str, verdict: Verdict, question: str, clause_ids: list[str]) -> dict[str, Any]:
    data = {ACTION_KEY: FEEDBACK, "verdict": verdict.value, "question": question, "clauses": clause_ids}
    return {"type": "Action.Submit", "title": title, "data": data}
