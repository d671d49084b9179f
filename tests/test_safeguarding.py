"""bot.safeguarding.concern: a question about a child's safety is recognised however indirectly it is put,
and an ordinary question about posting, phones or friends is not.

concern() errs towards seeing a concern, so the "not a concern" examples are everyday policy questions,
not borderline ones.
"""
from __future__ import annotations

from datetime import date

import pytest

from bot.answering import answer_question
from bot.knowledge import KnowledgeBase
from bot.safeguarding import ROUTE_TERMS, concern
from bot.text import terms

SCHOOLS = ["hampshire", "herefordshire", "huxley", "st-elisabeths", "wakefield"]
TODAY = date(2025, 1, 15)

HARM = "safeguarding harm welfare risk child protection"
SEXUAL = "indecent images sexual exploitation grooming safeguarding"
RADICALISATION = "radicalisation radicalise extremism extremist terrorist terrorism prevent"
CONTACT = "messages contact communication relationship grooming"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # disclosures and harm at home
        ("a pupil told me her stepdad hits her", HARM),
        ("one of my year 10s says she's scared to go home", HARM),
        ("a child said she is not safe at home", HARM),
        ("a student disclosed something to me on instagram", HARM),
        ("a student has been self-harming", HARM),
        ("a pupil said he wants to die", HARM),
        ("a year 8 has been posting about wanting to die", HARM),
        ("a pupil said her uncle touches her", HARM),
        ("a parent posted a video of himself smacking his child", HARM),
        ("a girl in my form has been posting sad stuff and I noticed marks on her arm", HARM),
        ("she hasn't been in for weeks and her mum's deleted all her socials", HARM),
        ("she doesn't want to go home tonight", HARM),
        ("can I talk it through with the LADO before I report a colleague?", HARM),
        ("a lad in my group says he doesn't feel safe at home", HARM),
        # sexual content and exploitation
        ("an older lad keeps asking her for pictures", SEXUAL),
        ("a boy in year 10 asked her for pics", SEXUAL),
        ("a girl in my class is sending nudes", SEXUAL),
        ("a kid showed me a video with another child in it with no clothes on", SEXUAL),
        ("a man on the ipad game asked her to take her top off", SEXUAL),
        ("found a memory stick with horrible pictures of a child on it", SEXUAL),
        ("someone she met on roblox keeps asking her to send photos of herself", SEXUAL),
        ("the coach told her not to tell her mum they chat", SEXUAL),
        ("a colleague sent her daughter a message saying keep this between us", SEXUAL),
        ("a volunteer keeps telling a little one she's his special friend", SEXUAL),
        ("a TA gives one boy lifts home", SEXUAL),
        ("he asked for pics of her in her gymnastics kit", SEXUAL),
        ("a year 9 girl has a 19 year old boyfriend", SEXUAL),
        ("a man keeps buying her stuff and she won't say who", SEXUAL),
        ("a supply teacher was photographing the kids in the changing rooms", SEXUAL),
        ("a year 7 told me she's been sending pics to a lad", SEXUAL),
        ("a year 5 says someone she met online wants her to keep their chats secret", SEXUAL),
        ("a girl says an older teenager keeps messaging her", SEXUAL),
        # radicalisation
        ("I think a pupil is being radicalised online", RADICALISATION),
        ("what is the policy on extremism", RADICALISATION),
        ("a year 6 lad keeps watching extreme videos", RADICALISATION),
        ("he keeps going on about going abroad to fight", RADICALISATION),
        # a pupil in private contact with an adult
        ("a year 9 boy keeps messaging me late at night", CONTACT),
        ("a year 7 keeps DMing me", CONTACT),
        ("a pupil keeps sending me messages on instagram", CONTACT),
        ("a pupil keeps adding me on snapchat", CONTACT),
        ("my colleague keeps messaging a pupil late at night", CONTACT),
        ("one of the male staff has been texting a year 11 girl", CONTACT),
        ("one of our TAs is following loads of the year 6s on tiktok", CONTACT),
        ("a member of staff has photos of pupils on his personal phone", CONTACT),
        ("a kid wants to meet me outside school", CONTACT),
        ("a year 11 boy asked to meet up", CONTACT),
        # signs that only worry when the question is about a child
        ("a year 3 has gone really quiet and flinches when you raise your voice", HARM),
        ("one of my reception children turns up hungry every morning in the same clothes", HARM),
        ("a lad in year 9 is frightened to walk past the park after school", HARM),
        ("noticed cuts on a y10's wrists when she rolled her sleeves up", HARM),
        ("a little one says she's left home alone most evenings", HARM),
        ("a year 8 girl keeps telling me she'll be taken abroad for a ceremony", HARM),
        ("a boy says someone has a photo of him topless and wants money", SEXUAL),
        ("a year 9 says an older guy online keeps sending her robux", SEXUAL),
        ("a lad in my tutor group suddenly has wads of cash and a new iphone", SEXUAL),
        ("a girl in year 10 says her boyfriend is in his twenties", SEXUAL),
        ("a y4 says her online friend told her not to tell anyone about their game", SEXUAL),
        ("someone on a game asked a year 6 to switch her camera on", SEXUAL),
        ("a pupil says her uncle shows her grown up videos", SEXUAL),
        ("a year 7 has been doing live streams in her bedroom", SEXUAL),
        ("a y5 told me a man keeps asking her for her address", SEXUAL),
        ("a parent says the football coach messages her 14 year old saying she is mature for her age", SEXUAL),
        ("a year 6 lad keeps saying people of another religion are the enemy", RADICALISATION),
        ("a year 5 boy has been drawing symbols his brother showed him online", RADICALISATION),
        ("the new tutor gave a year 8 his personal number to text him", CONTACT),
        ("a helper at chess club offers a y7 private lessons in the evenings", CONTACT),
    ],
)
def test_an_indirectly_phrased_concern_about_a_child_is_recognised(question: str, kind: str) -> None:
    cues = concern(question)
    assert cues is not None
    assert kind in cues


@pytest.mark.parametrize(
    "question",
    [
        "can I post a photo of my dog",
        "can I post photos of pupils?",
        "can I use my personal phone to contact pupils?",
        "can I accept a friend request from a former pupil",
        "who do I report inappropriate content to",
        "can I criticise the school on twitter?",
        "can I message parents on whatsapp",
        "can I text a parent about a trip",
        "can I photograph year 6 sports day",
        "what are the rules on snapchat",
        "she hits the ball hard",
        "can I hit like on a parent's post",
        "can I post photos of children from sports day on the school website",
        "I don't know if I can send photos to parents",
        "can I give a colleague a lift home",
        "my boyfriend is 25, can I post pictures of us",
        "can I buy the class a gift for christmas",
        "what's the difference between us and the academy down the road",
        "my colleague keeps messaging me about work at night",
        "I'm scared a pupil might post something untrue about me",
        "a parent asked me for another child's address for a party invitation",
        "a year 6 had a meltdown in class, can I mention it on my blog without his name",
        "I accidentally opened a porn site on the school laptop",
        "are pupils allowed their own phones if they walk home alone",
        "can I send a happy birthday message to a colleague",
    ],
)
def test_an_ordinary_question_raises_no_concern(question: str) -> None:
    assert concern(question) is None


def test_a_question_raising_two_kinds_of_concern_gets_the_words_of_both() -> None:
    cues = concern("a pupil told me her stepdad hits her and an older man keeps messaging her")
    assert cues is not None
    assert HARM in cues and SEXUAL in cues


def test_concerns_are_recognised_in_any_case() -> None:
    assert concern("A PUPIL TOLD ME HER STEPDAD HITS HER") == concern("a pupil told me her stepdad hits her")


def test_the_cue_words_are_words_a_policy_uses_for_that_harm(knowledge: KnowledgeBase) -> None:
    """The cues join the question to find the clauses about that harm: each kind must reach some policy."""
    used = {t for school in knowledge.schools.values() for clause_terms in school.index.clause_terms
            for t in clause_terms}
    for kind in (HARM, SEXUAL, RADICALISATION, CONTACT):
        assert set(terms(kind)) & used, kind


@pytest.mark.parametrize(
    ("text", "is_route"),
    [
        ("Any safeguarding concern must be reported to the DSL.", True),
        ("Staff with concerns about online safety should speak to the headteacher.", True),
        ("Refer the matter to the LADO.", True),
        ("Staff must not post photographs of pupils.", False),
        ("Pupils may use the ICT suite at lunchtime.", False),
        ("Concerns about e-safety should be raised with the Headteacher.", True),
    ],
)
def test_route_terms_mark_a_clause_about_safeguarding(text: str, is_route: bool) -> None:
    assert bool(ROUTE_TERMS.search(text)) == is_route


@pytest.mark.parametrize("school_id", SCHOOLS)
@pytest.mark.parametrize("question", ["an older lad keeps asking her for pictures",
                                      "a pupil told me her stepdad hits her"])
def test_an_indirect_concern_is_answered_with_the_safeguarding_route_first(
    knowledge: KnowledgeBase, school_id: str, question: str
) -> None:
    school = knowledge.school(school_id)
    answer = answer_question(knowledge, school, question, TODAY)
    assert answer.safeguarding
    assert answer.contact.role == school.config.safeguarding_contact
    assert answer.clauses
    assert school.clauses.index(answer.clauses[0].clause) in school.routes


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_an_ordinary_photo_question_is_not_treated_as_safeguarding(
    knowledge: KnowledgeBase, school_id: str
) -> None:
    answer = answer_question(knowledge, knowledge.school(school_id), "can I post a photo of my dog", TODAY)
    assert not answer.safeguarding
