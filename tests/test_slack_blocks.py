"""The Slack adapter's pure parts: Block Kit rendering, mrkdwn escaping, reading Slack markup,
and the feedback buttons' values. Every rendered message is judged by slack-sdk's block models."""
from __future__ import annotations

import json
import re

import pytest
from fake_slack import engine  # noqa: F401 - a fixture
from fake_slack import slack_rules
from sqlalchemy import Engine

from adapters.slack.blocks import MAX_BLOCKS, SECTIONS_PER_CLAUSE, TEXT_LIMIT, answer_message, contact_line, notice
from adapters.slack.feedback import (
    VALUE_LIMIT,
    Asked,
    LongQuestions,
    action_id,
    button_value,
    decode,
    encode,
    verdict_of,
)
from adapters.slack.mrkdwn import escape, fit, plain_text, wrap
from bot import messages
from bot.knowledge import KnowledgeBase
from bot.models import Answer, Channel, Clause, Contact, QuotedClause, Verdict
from bot.roles import Role
from bot.service import PolicyBot

HR = Contact(role=Role.HR, name="HR", email="hr@school.example.org")
NASTY = "<!channel> <!here> <!everyone> <@U999> & <https://evil.example|click>"
ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")  # an ampersand that does not start an entity


def clause(text: str = "You must not accept pupils as friends.", ref: str = "4.6", lead_in: str | None = None,
           heading: str = "Personal use of social media", n: int = 1) -> Clause:
    return Clause(id=f"huxley/social-media-policy.txt#{n}", school="huxley", policy="Social Media Policy",
                  ref=ref, heading=heading, lead_in=lead_in, text=text)


def answer(*clauses: Clause, contact: Contact = HR, notes: list[str] | None = None, logged: bool = False,
           safeguarding: bool = False, question: str = "can I friend a parent?") -> Answer:
    return Answer(school="huxley", school_name="Huxley CE Primary School", question=question,
                  answered=bool(clauses), clauses=[QuotedClause(clause=c, score=5.0) for c in clauses],
                  contact=contact, notes=notes or [], safeguarding=safeguarding, logged=logged)


def texts(message: dict) -> list[str]:
    """Every block's visible text, in order."""
    out = []
    for block in message["blocks"]:
        if block["type"] == "section":
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out.extend(e["text"] for e in block["elements"])
    return out


def valid(message: dict, *mentions: str) -> dict:
    assert slack_rules(message, allowed_mentions=mentions) == []
    return message


def test_an_answer_has_lead_quotes_citations_contact_notes_and_buttons_in_that_order() -> None:
    note = messages.review_overdue("Social Media Policy", __import__("datetime").date(2023, 7, 17))
    message = valid(answer_message(answer(clause(), clause("Second clause.", "4.7", n=2), notes=[note]),
                                   '{"s":"huxley"}', anonymous=True))
    assert [b["type"] for b in message["blocks"]] == [
        "section", "section", "context", "section", "context", "section", "context", "actions"]
    assert texts(message) == [
        "Here is what Huxley CE Primary School's policies say:",
        "> You must not accept pupils as friends.",
        "Social Media Policy · 4.6 · Personal use of social media",
        "> Second clause.",
        "Social Media Policy · 4.7 · Personal use of social media",
        "If in doubt, ask HR (hr@school.example.org).",
        note,
    ]
    buttons = message["blocks"][-1]["elements"]
    assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons] == [
        (messages.HELPFUL, "feedback_helpful", '{"s":"huxley"}'),
        (messages.NOT_HELPFUL, "feedback_not_helpful", '{"s":"huxley"}'),
        (messages.ASK_HR, "feedback_ask_hr", '{"s":"huxley"}'),
    ]
    assert message["text"].startswith("Here is what Huxley CE Primary School's policies say:")


def test_the_real_huxley_answer_to_the_friend_request_question_renders_valid(knowledge: KnowledgeBase) -> None:
    real = PolicyBot(knowledge, None).ask("huxley", "can I accept a friend request from a pupil's mum on facebook?",
                                          Channel.SLACK, record=False)
    message = valid(answer_message(real, "{}", anonymous=True))
    body = "\n".join(texts(message))
    assert "You must not accept students or their parents /carers as friends" in body
    assert "Social Media Policy · 4.6 · Personal use of social media" in body


def test_a_list_item_is_quoted_after_its_lead_in() -> None:
    item = clause("Not post images of pupils.", "6.3(b)", lead_in="When using social media, staff must:")
    message = valid(answer_message(answer(item), "{}", anonymous=True))
    assert texts(message)[1] == "> _When using social media, staff must: …_\n> Not post images of pupils."


def test_the_contact_is_a_mention_only_when_the_school_gives_a_slack_id() -> None:
    head = Contact(role=Role.HEADTEACHER, name="Headteacher", email="head@school.example.org", slack_user_id="U123")
    assert contact_line(head) == "If in doubt, ask <@U123> (head@school.example.org)."
    assert contact_line(HR) == "If in doubt, ask HR (hr@school.example.org)."
    odd = head.model_copy(update={"slack_user_id": "<!channel>"})
    assert contact_line(odd) == "If in doubt, ask Headteacher (head@school.example.org)."
    valid(answer_message(answer(clause(), contact=head), "{}", anonymous=True), "<@U123>")


def test_user_and_policy_text_is_escaped_so_it_never_pings() -> None:
    bad = clause(NASTY, ref="1", lead_in=NASTY, heading=NASTY)
    contact = Contact(role=Role.HR, name=NASTY, email="hr@school.example.org")
    message = valid(answer_message(answer(bad, contact=contact, notes=[NASTY], question=NASTY), "{}",
                                   anonymous=True, echo_question=True))
    shown = "\n".join(texts(message))
    assert "&lt;!channel&gt;" in shown and "&lt;@U999&gt;" in shown and "&amp;" in shown
    assert "<!" not in json.dumps(message) and "<@" not in json.dumps(message)


def test_an_abstention_says_so_names_the_contact_and_says_it_went_to_hr() -> None:
    logged = valid(answer_message(answer(logged=True), "{}", anonymous=True))
    assert texts(logged)[0] == (f"{messages.not_found('Huxley CE Primary School')} "
                                f"{messages.passed_to_hr(anonymous=True)}")
    assert "anonymously" in texts(logged)[0]
    assert texts(logged)[1] == "If in doubt, ask HR (hr@school.example.org)."
    named = answer_message(answer(logged=True), "{}", anonymous=False)
    assert "anonymously" not in texts(named)[0] and "passed your question to HR" in texts(named)[0]
    unlogged = answer_message(answer(logged=False), "{}", anonymous=True)
    assert texts(unlogged)[0] == messages.not_found("Huxley CE Primary School")


def test_the_safeguarding_note_comes_first_and_stands_out() -> None:
    concern = messages.safeguarding_note(HR)
    review = "The Social Media Policy was due for review on 17 July 2023; check with HR that it is still current."
    message = valid(answer_message(answer(clause(), notes=[concern, review], safeguarding=True), "{}",
                                   anonymous=True))
    sections = [b for b in message["blocks"] if b["type"] == "section"]
    assert sections[-1]["text"]["text"] == f"*{concern}*"
    assert message["text"].split("\n")[:2] == [messages.answered_lead("Huxley CE Primary School"), concern]
    assert message["blocks"][-2] == {"type": "context", "elements": [
        {"type": "mrkdwn", "text": review, "verbatim": True}]}


def test_a_huge_clause_is_split_then_shortened_within_slack_limits() -> None:
    text = " ".join(f"word{n} & <b>" for n in range(4000))  # about 50,000 characters once escaped
    message = valid(answer_message(answer(clause(text)), "{}", anonymous=True))
    quotes = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section" and b["text"]["text"][0] == ">"]
    assert len(quotes) == SECTIONS_PER_CLAUSE
    assert all(len(q) <= TEXT_LIMIT for q in quotes)
    assert quotes[-1].endswith(f"> _{messages.truncated()}_")
    assert not any(ENTITY.search(q) for q in quotes), "an escaped entity was cut in half"
    assert quotes[0].startswith("> word0 &amp; &lt;b&gt; word1")


def test_one_very_long_line_without_spaces_is_cut_cleanly() -> None:
    message = valid(answer_message(answer(clause("&" * 1500)), "{}", anonymous=True))  # 7,500 escaped
    quotes = [t for t in texts(message) if t.startswith(">")]
    assert len(quotes) == 3 and "".join(quotes).count("&amp;") == 1500
    assert not any(ENTITY.search(q) for q in quotes)


def test_many_clauses_never_make_more_than_50_blocks() -> None:
    many = [clause(f"Clause {n}. " + "x " * 4000, str(n), n=n) for n in range(40)]
    notes = [f"note {n}" for n in range(3)]
    message = valid(answer_message(answer(*many, notes=notes), "{}", anonymous=True, echo_question=True))
    assert len(message["blocks"]) <= MAX_BLOCKS
    assert message["blocks"][-1]["type"] == "actions"
    assert texts(message)[0] == messages.you_asked("can I friend a parent?")


def test_a_notice_is_escaped_and_valid() -> None:
    message = valid(notice(messages.not_set_up()))
    assert message["text"] == texts(message)[0] == messages.not_set_up()
    assert valid(notice("a < b & " + "y" * 5000))["text"].startswith("a &lt; b &amp; y")


@pytest.mark.parametrize(("slack", "plain"), [
    ("<@UBOT> can I post photos?", "can I post photos?"),
    ("can <@U999|sam> see &lt;this&gt; &amp; that?", "can sam see <this> & that?"),
    ("<!channel> <!here|here> <!subteam^S1|@teachers> <!everyone> hi", "@channel here @teachers @everyone hi"),
    ("see <https://example.org/policy|the policy> or <https://x.example>", "see the policy or https://x.example"),
    ("mail <mailto:hr@school.org|hr@school.org> in <#C123|staffroom>", "mail hr@school.org in #staffroom"),
    ("  lots \n of   space  ", "lots of space"),
    ("<@UBOT>", ""),
])
def test_slack_markup_reads_as_a_plain_question(slack: str, plain: str) -> None:
    assert plain_text(slack, bot_user_id="UBOT") == plain


def test_escape_covers_exactly_slacks_three_characters() -> None:
    assert escape("<!here> & *bold* _it_") == "&lt;!here&gt; &amp; *bold* _it_"


@pytest.mark.parametrize("text", ["a" * 50, "ab " * 40, "&" * 40, "x&amp;" * 20, "word &lt;tag&gt; " * 9])
def test_wrap_and_fit_respect_the_width_and_never_split_an_entity(text: str) -> None:
    escaped = escape(text) if "&amp;" not in text else text
    pieces = wrap(escaped, 17)
    assert all(len(p) <= 17 for p in pieces)
    assert "".join(pieces).replace(" ", "") == escaped.replace(" ", "")
    assert not any(ENTITY.search(p) for p in pieces)
    cut = fit(escaped, 20, " …")
    assert len(cut) <= 20 and (cut == escaped or cut.endswith(" …"))
    assert not ENTITY.search(cut)


def test_a_button_value_round_trips_and_anything_else_is_refused() -> None:
    asked = Asked("huxley", ["huxley/social-media-policy.txt#22"], question="can I \"friend\" a parent?")
    assert decode(encode(asked)) == asked
    assert decode(encode(Asked("huxley", [], ref="abc"))) == Asked("huxley", [], ref="abc")
    for junk in ["", "x", "[]", '{"s": 1, "c": [], "q": "x"}', '{"s": "a", "c": "x", "q": "x"}',
                 '{"s": "a", "c": [1], "q": "x"}', '{"s": "a", "c": []}', '{"s": "a", "c": [], "q": " "}']:
        assert decode(junk) is None, junk
    assert [verdict_of(action_id(v)) for v in Verdict] == list(Verdict)
    assert verdict_of("feedback_maybe") is None and verdict_of("other") is None



def test_a_short_question_rides_in_the_button_and_a_long_one_is_kept_by_reference(engine: Engine) -> None:
    kept = LongQuestions(engine)
    ids = ["huxley/social-media-policy.txt#22", "huxley/social-media-policy.txt#23"]
    short = button_value("huxley", "can I friend a parent?", ids, kept)
    assert decode(short) == Asked("huxley", ids, question="can I friend a parent?")

    long_question = " ".join(['can I "quote" this?'] * 100)[:1999]  # quotes double in JSON
    value = button_value("huxley", long_question, ids, kept)
    assert len(value) <= VALUE_LIMIT
    asked = decode(value)
    assert asked is not None and asked.question is None and asked.ref
    assert kept.find(asked.ref) == long_question
    assert button_value("huxley", long_question, ids, kept) == value  # kept once, same reference


def test_without_a_database_a_long_question_is_shortened_to_fit() -> None:
    long_question = " ".join(['can I "quote" this?'] * 100)[:1999]
    value = button_value("huxley", long_question, ["huxley/x.txt#1"], LongQuestions(None))
    asked = decode(value)
    assert len(value) <= VALUE_LIMIT and asked is not None and asked.question is not None
    assert asked.question.endswith(" …") and long_question.startswith(asked.question[:-2])


def test_the_rules_every_message_is_judged_by_do_catch_what_slack_rejects() -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "fine"}}
    button = {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "Go"}, "value": "v"}
    assert slack_rules({"text": "ok", "blocks": [section]}) == []
    assert slack_rules({"text": " ", "blocks": [section]}) == ["no plain text fallback"]
    assert slack_rules({"text": "ok", "blocks": [section] * 51}) == ["51 blocks (at most 50)"]
    long_section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    assert any("3000" in p for p in slack_rules({"text": "ok", "blocks": [long_section]}))
    long_context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "x" * 3001}]}
    assert slack_rules({"text": "ok", "blocks": [long_context]}) == ["a text of 3001 characters (at most 3000)"]
    big_value = {"type": "actions", "elements": [{**button, "value": "v" * 2001}]}
    assert any("2000" in p for p in slack_rules({"text": "ok", "blocks": [big_value]}))
    assert slack_rules({"text": "ok", "blocks": [{"type": "no_such_block"}]}) == ["block 0: unknown block type"]
    assert slack_rules({"text": "hi <!here> and <@U1>"}) == ["pings: <!here>", "pings: <@U1>"]
    assert slack_rules({"text": "ask <@U123>"}, allowed_mentions=("<@U123>",)) == []
