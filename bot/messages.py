"""Every sentence the bot says to staff, in one place so HR can review the wording together."""
from __future__ import annotations

from datetime import date

from bot.models import Contact

MAX_QUESTION_CHARS = 2000


def empty_question() -> str:
    return "Please type a question, for example: can I accept a parent's friend request?"


def question_too_long(length: int) -> str:
    return (f"That question is {length:,} characters long; please ask it in under "
            f"{MAX_QUESTION_CHARS:,} characters.")


def answered_lead(school_name: str) -> str:
    return f"Here is what {school_name}'s policies say:"


def not_found(school_name: str) -> str:
    return f"I couldn't find this in {school_name}'s policies."


def passed_to_hr(anonymous: bool) -> str:
    how = "anonymously " if anonymous else ""
    return f"I've passed your question to HR {how}so they can fill the gap."


def ask_contact(contact: Contact) -> str:
    return f"If in doubt, ask {contact.name} ({contact.email})."


def safeguarding_note(contact: Contact) -> str:
    return (f"This may be a safeguarding concern. Don't wait: tell {contact.name} ({contact.email}) "
            "today and follow your school's safeguarding procedures.")


def review_overdue(policy: str, review: date) -> str:
    return f"The {policy} was due for review on {review:%-d %B %Y}; check with HR that it is still current."


# --- chat channels (Slack, Teams) ---

HELPFUL = "Helpful"
NOT_HELPFUL = "Not helpful"
ASK_HR = "Ask HR"


def feedback_thanks(verdict: str) -> str:
    return {
        "helpful": "Thanks, glad it helped.",
        "not_helpful": "Thanks for saying so. HR reviews answers that did not help.",
        "ask_hr": "I've passed your question to HR so they can answer it.",
    }.get(verdict, "Thanks for your feedback.")


def unexpected_action() -> str:
    return "Sorry, I didn't recognise that button. Please ask your question again."


def not_set_up() -> str:
    return "policybot isn't set up for this workspace yet. Please ask your school office or HR to set it up."


def greeting(school_name: str) -> str:
    return (f"Hello! I answer questions about {school_name}'s policies: I quote the policy word for word "
            "and tell you who to ask. Try: \"can I accept a parent's friend request?\"")


def truncated() -> str:
    return "… (shortened: see the full clause in the policy)"


def no_question_hint() -> str:
    return "Ask me a question about your school's policies, for example: can I post photos from sports day?"


def you_asked(question: str) -> str:
    return f"You asked: {question}"


def feedback_not_stored() -> str:
    return "Sorry, I couldn't record that just now. If you need an answer, please contact HR directly."
