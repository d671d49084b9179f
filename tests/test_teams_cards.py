"""The Teams card (pure rendering), its buttons read back, and activities read into plain values."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adapters.teams import cards, inbound
from adapters.teams.inbound import Kind
from bot import messages
from bot.knowledge import KnowledgeBase
from bot.models import Answer, Channel, Clause, Contact, QuotedClause, Verdict
from bot.roles import Role
from bot.service import PolicyBot
from fake_connector import Teams, check_card

FRIEND_REQUEST = "can I accept a friend request from a pupil's mum on facebook?"
HR = Contact(role=Role.HR, name="HR", email="hr@huxley.example.org")


def texts(card: dict[str, Any]) -> list[str]:
    """Every piece of text in reading order, with the element type that shows it."""
    out: list[str] = []

    def walk(element: dict[str, Any]) -> None:
        if element["type"] == "TextBlock":
            out.append(f"TextBlock:{element['text']}")
        elif element["type"] == "RichTextBlock":
            out.extend(f"TextRun:{run['text']}" for run in element["inlines"])
        for child in element.get("items", []):
            walk(child)

    for element in card["body"]:
        walk(element)
    return out


def answer(clauses: list[Clause], question: str = "a question", **fields: Any) -> Answer:
    return Answer(school="huxley", school_name="Huxley CE Primary School", question=question,
                  answered=bool(clauses), clauses=[QuotedClause(clause=c, score=5.0) for c in clauses],
                  contact=fields.pop("contact", HR), **fields)


def clause(text: str = "Staff must keep passwords private.", **fields: Any) -> Clause:
    values = {"id": "huxley/x.txt#1", "school": "huxley", "policy": "IT Policy", "ref": "3.2",
              "heading": "Passwords", "text": text} | fields
    return Clause(**values)


@pytest.fixture(scope="module")
def bot(knowledge: KnowledgeBase) -> PolicyBot:
    return PolicyBot(knowledge, None)


def test_the_answer_card_quotes_huxley_4_6_with_its_citation_and_valid_buttons(bot: PolicyBot) -> None:
    found = bot.ask("huxley", FRIEND_REQUEST, Channel.TEAMS)
    card = cards.answer_card(found, anonymous=True)

    shown = texts(card)
    assert shown[:2] == [f"TextRun:{messages.you_asked(FRIEND_REQUEST)}",
                         f"TextRun:{messages.answered_lead('Huxley CE Primary School')}"]
    assert "TextRun:Social Media Policy · 4.6 · Personal use of social media" in shown
    quoted = shown[shown.index("TextRun:Social Media Policy · 4.6 · Personal use of social media") + 1]
    assert quoted.startswith("TextRun:“You must not accept students or their parents /carers as friends")
    assert f"TextRun:{messages.ask_contact(found.contact)}" in shown
    assert [a["title"] for a in card["actions"]] == [messages.HELPFUL, messages.NOT_HELPFUL, messages.ASK_HR]
    for action, verdict in zip(card["actions"], Verdict, strict=True):
        assert cards.read_feedback(action["data"]) == cards.FeedbackSubmit(
            verdict, found.question, [q.clause.id for q in found.clauses])
    assert card["version"] == "1.5" and "msteams" not in card
    assert check_card(card) == []


def test_a_list_item_is_shown_after_its_lead_in() -> None:
    item = clause("post photographs of pupils on personal accounts;", lead_in="Staff must not:", ref="5.1(c)")
    card = cards.answer_card(answer([item]), anonymous=True)

    shown = texts(card)
    start = shown.index("TextRun:IT Policy · 5.1(c) · Passwords")
    assert shown[start:start + 3] == ["TextRun:IT Policy · 5.1(c) · Passwords", "TextRun:Staff must not: …",
                                      "TextRun:“post photographs of pupils on personal accounts;”"]
    assert check_card(card) == []


@pytest.mark.parametrize(("logged", "anonymous"), [(True, True), (True, False), (False, True)])
def test_an_abstention_says_not_found_passed_to_hr_and_whom_to_ask(logged: bool, anonymous: bool) -> None:
    card = cards.answer_card(answer([], logged=logged), anonymous=anonymous)

    expected = [f"TextRun:{messages.you_asked('a question')}",
                f"TextRun:{messages.not_found('Huxley CE Primary School')}"]
    if logged:  # only say it was passed on when it really was
        expected.append(f"TextRun:{messages.passed_to_hr(anonymous=anonymous)}")
    expected.append(f"TextRun:{messages.ask_contact(HR)}")
    assert texts(card) == expected
    assert "actions" not in card  # nothing to rate; HR already has it
    assert check_card(card) == []


def test_a_contact_with_a_teams_id_is_mentioned() -> None:
    head = Contact(role=Role.HEADTEACHER, name="Mrs Ada Head", email="head@huxley.example.org",
                   teams_user_id="29:1ada-head")
    card = cards.answer_card(answer([clause()], contact=head), anonymous=True)

    # The card names the contact plainly; the mention travels in the message beside it.
    assert "msteams" not in card and check_card(card) == []
    assert cards.contact_mention(head) == (
        "If in doubt, ask <at>Mrs Ada Head</at> (head@huxley.example.org).",
        {"type": "mention", "text": "<at>Mrs Ada Head</at>", "mentioned": {"id": "29:1ada-head", "name": "Mrs Ada Head"}},
    )
    assert cards.contact_mention(head.model_copy(update={"teams_user_id": None})) is None


def test_the_safeguarding_note_comes_first_and_the_review_note_last() -> None:
    dsl = Contact(role=Role.DSL, name="Designated Safeguarding Lead", email="dsl@huxley.example.org")
    review = messages.review_overdue("IT Policy", date(2023, 7, 17))
    found = answer([clause()], contact=dsl, safeguarding=True,
                   notes=[messages.safeguarding_note(dsl), review])
    card = cards.answer_card(found, anonymous=True)

    shown = texts(card)
    assert shown[2] == f"TextRun:{messages.safeguarding_note(dsl)}"
    assert card["body"][2]["inlines"][0]["color"] == "attention"
    assert shown[-1] == f"TextRun:{review}"
    assert check_card(card) == []


QUESTIONS_WITH_MARKUP = [
    "<b>can I</b> accept a <script>alert(1)</script> friend request?",
    "**can** I _accept_ a [friend request](https://evil.example) from a parent?",
    "# heading\n- list item\n1. numbered <at>Someone</at>",
]


@pytest.mark.parametrize("question", QUESTIONS_WITH_MARKUP)
def test_a_question_with_html_or_markdown_is_shown_as_typed(question: str) -> None:
    card = cards.answer_card(answer([clause()], question=question), anonymous=True)

    first = card["body"][0]
    assert first == {"type": "RichTextBlock",
                     "inlines": [{"type": "TextRun", "text": messages.you_asked(question), "isSubtle": True}]}
    # A TextRun renders no Markdown and no HTML; the only TextBlock is the bot's own contact line.
    assert [t for t in texts(card) if t.startswith("TextBlock:")] == []
    assert check_card(card) == []


def test_policy_text_is_never_given_to_markdown_either() -> None:
    marked_up = clause("1. **Never** share [passwords](x) <i>at all</i>")
    card = cards.answer_card(answer([marked_up]), anonymous=True)
    assert "TextRun:“1. **Never** share [passwords](x) <i>at all</i>”" in texts(card)


def test_a_very_long_clause_is_shortened_and_says_so() -> None:
    long = " ".join(["word"] * 2000)
    card = cards.answer_card(answer([clause(long)]), anonymous=True)

    quoted = next(t for t in texts(card) if t.startswith("TextRun:“word"))
    assert quoted.endswith(f" {messages.truncated()}”")
    assert len(quoted) < cards.MAX_CLAUSE_CHARS + 100
    assert check_card(card) == []


GOOD = {"policybot": "feedback", "verdict": "helpful", "question": "q?", "clauses": ["huxley/a.txt#1"]}


@pytest.mark.parametrize("value", [
    None, "helpful", 42, [GOOD], {}, {"verdict": "helpful", "question": "q?"},
    GOOD | {"policybot": "something-else"}, GOOD | {"verdict": "delete_everything"}, GOOD | {"verdict": None},
    GOOD | {"question": ""}, GOOD | {"question": "   "}, GOOD | {"question": 7},
    GOOD | {"question": "x" * (messages.MAX_QUESTION_CHARS + 1)},
    GOOD | {"clauses": "huxley/a.txt#1"}, GOOD | {"clauses": [1]}, GOOD | {"clauses": [""]},
    GOOD | {"clauses": ["c"] * (cards.MAX_CLAUSE_IDS + 1)},
])
def test_anything_but_our_own_button_data_is_refused(value: object) -> None:
    assert cards.read_feedback(value) is None


def test_our_own_button_data_is_read_back() -> None:
    assert cards.read_feedback(GOOD) == cards.FeedbackSubmit(Verdict.HELPFUL, "q?", ["huxley/a.txt#1"])
    assert cards.read_feedback(GOOD | {"clauses": []}) == cards.FeedbackSubmit(Verdict.HELPFUL, "q?", [])


# --- activities read into plain values --------------------------------------------------------

TEAMS = Teams("http://127.0.0.1:9")


def test_the_bots_own_mention_is_removed_and_other_mentions_keep_their_name() -> None:
    raw = TEAMS.message("can <at>Jo Smith</at> approve a trip? ask policybot", TEAMS.channel(), mention=True)
    raw["entities"].append({"type": "mention", "text": "<at>Jo Smith</at>", "mentioned": {"id": "29:jo"}})

    assert inbound.question_text(raw) == "can Jo Smith approve a trip? ask policybot"


def test_the_nbsp_teams_puts_after_a_mention_is_only_a_space() -> None:
    raw = TEAMS.message("can I&nbsp;text parents?", TEAMS.channel(), mention=True)
    raw["text"] = raw["text"].replace("</at> ", "</at>&nbsp;")
    assert inbound.question_text(raw) == "can I text parents?"


def test_a_mention_without_entities_is_only_unwrapped() -> None:
    raw = TEAMS.message("<at>policybot</at>   is it ok\n to text parents?")
    assert inbound.question_text(raw) == "policybot is it ok to text parents?"


@pytest.mark.parametrize(("activity", "kind"), [
    (TEAMS.message("hello"), Kind.QUESTION),
    (TEAMS.submit(GOOD), Kind.SUBMIT),
    (TEAMS.installed(), Kind.INSTALLED),
    (TEAMS.installed(action="add-upgrade"), Kind.INSTALLED),
    (TEAMS.installed(action="remove"), Kind.UNINSTALLED),
    (TEAMS.members_added(), Kind.INSTALLED),
    (TEAMS.base("conversationUpdate", TEAMS.personal(), membersAdded=[{"id": "29:other"}]), Kind.IGNORED),
    (TEAMS.base("conversationUpdate", TEAMS.personal(), membersRemoved=[{"id": TEAMS.bot_id}]),
     Kind.UNINSTALLED),
    (TEAMS.base("typing", TEAMS.personal()), Kind.IGNORED),
    (TEAMS.base("messageReaction", TEAMS.personal(), reactionsAdded=[{"type": "like"}]), Kind.IGNORED),
    (TEAMS.base("messageUpdate", TEAMS.personal(), text="edited"), Kind.IGNORED),
    (TEAMS.base("invoke", TEAMS.personal(), name="adaptiveCard/action",
                value={"action": {"type": "Action.Execute", "data": GOOD}}), Kind.SUBMIT),
])
def test_each_kind_of_activity_is_recognised(activity: dict[str, Any], kind: Kind) -> None:
    assert inbound.problem(activity) is None
    seen = inbound.read(activity)
    assert seen.kind == kind
    assert (seen.tenant_id, seen.asker) == ("tenant-huxley", "aad-sam-0001")


def test_the_tenant_is_read_from_channel_data_then_the_conversation() -> None:
    raw = TEAMS.message("hi")
    raw["channelData"] = {}
    assert inbound.tenant_of(raw) == "tenant-huxley"
    raw["conversation"].pop("tenantId")
    assert inbound.tenant_of(raw) is None


@pytest.mark.parametrize(("change", "reason"), [
    ({"type": None}, "type is missing"),
    ({"serviceUrl": ""}, "serviceUrl is missing"),
    ({"serviceUrl": "javascript:alert(1)"}, "serviceUrl is not an http(s) URL"),
    ({"conversation": {"tenantId": "tenant-huxley"}}, "conversation.id is missing"),
    ({"conversation": "19:abc"}, "conversation.id is missing"),
    ({"text": 12}, "text has the wrong type"),
    ({"entities": {"type": "mention"}}, "entities has the wrong type"),
    ({"channelData": []}, "channelData has the wrong type"),
])
def test_an_incomplete_activity_is_named_for_what_is_wrong(change: dict[str, Any], reason: str) -> None:
    assert inbound.problem(TEAMS.message("hi") | change) == reason


def test_a_channel_thread_is_stored_as_its_channel() -> None:
    assert inbound.broadcast_id("19:general@thread.tacv2;messageid=17000001") == "19:general@thread.tacv2"
    assert inbound.broadcast_id("a:1personal-chat") == "a:1personal-chat"
