"""An answer as a person would like to read it in a terminal, and as the batch JSON line."""
from __future__ import annotations

import shutil
import textwrap
from typing import Any

from bot import messages
from bot.models import Answer


def _wrap(text: str, indent: str, width: int) -> str:
    return "\n".join(
        textwrap.fill(line, width=width, initial_indent=indent, subsequent_indent=indent + "  ")
        for line in text.splitlines()
    )


def render_text(answer: Answer) -> str:
    width = min(shutil.get_terminal_size((100, 20)).columns, 100)
    out: list[str] = []
    if answer.answered:
        out.append(messages.answered_lead(answer.school_name))
        for quoted in answer.clauses:
            clause = quoted.clause
            out.append("")
            if clause.lead_in:
                out.append(_wrap(f"{clause.lead_in} …", "    ", width))
            out.append(_wrap(f"“{clause.text}”", "    ", width))
            out.append(f"      — {clause.citation()}")
    else:
        out.append(messages.not_found(answer.school_name))
        if answer.logged:
            out.append(messages.passed_to_hr(anonymous=True))  # the console never says who is asking
    out.append("")
    out.append(messages.ask_contact(answer.contact))
    out.extend(_wrap(f"Note: {note}", "", width) for note in answer.notes)
    return "\n".join(out)


def answer_json(answer: Answer) -> dict[str, Any]:
    """Exactly the batch format: school, question, answered, clauses, contact, logged, notes."""
    return {
        "school": answer.school,
        "question": answer.question,
        "answered": answer.answered,
        "clauses": [
            {
                "policy": q.clause.policy,
                "ref": q.clause.ref,
                # A list item means nothing without its lead-in ("staff must not:"), so the
                # heading a reader sees above it carries the lead-in too.
                "heading": " — ".join(p for p in (q.clause.heading, q.clause.lead_in) if p),
                "text": q.clause.text,
                "score": q.score,
            }
            for q in answer.clauses
        ],
        "contact": {"role": answer.contact.role.value, "name": answer.contact.name, "email": answer.contact.email},
        "logged": answer.logged,
        "notes": answer.notes,
    }
