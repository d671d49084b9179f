"""bot.ingest.segment.split_clauses: on the five real sample policies, and on small documents that
show one splitting rule each. What a member of staff is quoted must be the policy's own words, cut
where a reader would cut it, and cited by the number and heading a reader would look for."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from bot.ingest.segment import split_clauses
from bot.models import Clause

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
SCHOOLS = ["hampshire", "herefordshire", "huxley", "st-elisabeths", "wakefield"]
SOURCE = "social-media-policy.txt"


@cache
def source(school: str) -> str:
    return (KNOWLEDGE / school / SOURCE).read_text(encoding="utf-8")


@cache
def clauses(school: str) -> tuple[Clause, ...]:
    return tuple(split_clauses(source(school), school=school, policy="Social Media Policy", source=SOURCE))


def normalise(text: str) -> str:
    """Lower case, straight quotes, no bullet glyphs or emphasis stars, single spaces."""
    text = text.lower()
    for curly, straight in {"“": '"', "”": '"', "‘": "'", "’": "'"}.items():
        text = text.replace(curly, straight)
    text = re.sub(r"[•\ue000-\uf8ff*]", "", text)
    return " ".join(text.split())


def starting(school: str, start: str) -> Clause:
    found = [c for c in clauses(school) if c.text.startswith(start)]
    assert 1 == len(found), f"{school}: {len(found)} clauses start {start!r}"
    return found[0]


def containing(school: str, words: str) -> list[Clause]:
    return [c for c in clauses(school) if words in c.text]


def by_ref(school: str, ref: str) -> Clause:
    found = [c for c in clauses(school) if c.ref == ref]
    assert 1 == len(found), f"{school}: {len(found)} clauses with ref {ref!r}"
    return found[0]


def split(text: str) -> list[tuple[str, str, str | None, str]]:
    return [(c.ref, c.heading, c.lead_in, c.text) for c in split_clauses(text, school="t", policy="P", source="p.txt")]


# --- the real sample policies ---------------------------------------------------------------------


def test_normaliser_matches_the_forms_the_splitter_changes() -> None:
    assert 'staff must not: use "friends" — it\'s here' == normalise("Staff **must  not**:\n•\uf0b7 Use “Friends” — it’s here")


@pytest.mark.parametrize("school", SCHOOLS)
def test_every_clause_is_quoted_verbatim_from_its_document(school: str) -> None:
    document = normalise(source(school))
    assert clauses(school)
    not_verbatim = [c.id for c in clauses(school) if normalise(c.text) not in document]
    assert [] == not_verbatim


@pytest.mark.parametrize("school", SCHOOLS)
def test_every_lead_in_is_quoted_verbatim_from_its_document(school: str) -> None:
    document = normalise(source(school))
    with_lead_in = [c for c in clauses(school) if c.lead_in]
    assert with_lead_in
    assert [] == [c.id for c in with_lead_in if normalise(c.lead_in) not in document]


@pytest.mark.parametrize("school", SCHOOLS)
def test_clause_ids_are_unique_within_a_school(school: str) -> None:
    ids = [c.id for c in clauses(school)]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{school}/{SOURCE}#") for i in ids)


@pytest.mark.parametrize("school", SCHOOLS)
def test_no_clause_is_a_bare_fragment(school: str) -> None:
    # Fewer than four words on its own is a form field, a table cell or a stray number, never a
    # quotable rule; a short list item is quotable because its lead-in is quoted with it.
    assert [] == [c.id for c in clauses(school) if len(c.text.split()) < 4 and c.lead_in is None]


@pytest.mark.parametrize("furniture", ["Page 6", "Page 8", "November 2016", "Social Media Policy"])
def test_wakefield_page_furniture_is_not_quoted(furniture: str) -> None:
    assert furniture in source("wakefield")
    assert [] == [c.id for c in clauses("wakefield") if furniture in c.text]


def test_wakefield_clause_running_over_a_page_break_is_whole() -> None:
    clause = starting("wakefield", "We authorise such occasional use")
    assert (
        "We authorise such occasional use so long as it does not involve unprofessional or inappropriate "
        "content and does not interfere with your employment responsibilities or productivity "
        "(so not during paid working time)."
    ) == clause.text
    assert ("5", "Personal Use of Social Media on School Equipment") == (clause.ref, clause.heading)


def test_wakefield_signature_lines_are_not_quoted() -> None:
    assert [] == [c.id for c in clauses("wakefield") if "Signature" in c.text or "…" in c.text]


def test_st_elisabeths_clause_broken_across_a_blank_line_is_one_clause() -> None:
    clause = by_ref("st-elisabeths", "1.2")
    assert clause.text.startswith("This policy is designed to ensure that all adults use social media responsibly")
    assert "in order to safeguard the school" in clause.text
    assert clause.text.endswith("the reputation and integrity of the school protected.")


def test_st_elisabeths_6_4_is_its_single_sentence() -> None:
    assert (
        "Adults must not request, or respond to a request for any personal information from or about a pupil "
        "at the school."
    ) == by_ref("st-elisabeths", "6.4").text


def test_wakefield_list_item_wrapped_before_its_last_word_is_one_clause() -> None:
    clause = starting("wakefield", "Avoid personal social media relationships")
    assert "Avoid personal social media relationships with pupils or ex pupils under the age of 18." == clause.text
    assert "It is advisable to follow certain protocols in personal use of social media:" == clause.lead_in


def test_huxley_numbered_clause_keeps_its_number() -> None:
    clause = by_ref("huxley", "4.6")
    assert clause.text.startswith("You must not accept students or their parents /carers as friends")
    assert clause.text.endswith("may put you and/or your colleagues vulnerable to allegations.")
    assert "Personal use of social media" == clause.heading


def test_st_elisabeths_clauses_sharing_a_line_boundary_are_separate() -> None:
    # In the source " 6.12 ..." follows the last line of 6.11 with no blank line between them.
    first, second = by_ref("st-elisabeths", "6.11"), by_ref("st-elisabeths", "6.12")
    assert first.text.endswith("in accordance with the Key Principles detailed in this policy.")
    assert "6.12" not in first.text
    assert second.text.startswith("Adults must also be cautious when inviting work colleagues to be friends")


def test_st_elisabeths_numbered_clauses_are_all_there_in_order() -> None:
    refs = [c.ref for c in clauses("st-elisabeths") if c.ref.startswith("6.")]
    assert [f"6.{n}" for n in range(1, 25)] == refs


@pytest.mark.parametrize(
    ("letter", "start"),
    [
        ("a", "Staff should set up a distinct and dedicated social media site"),
        ("b", "The URL and identity of the site should be notified to the Headteacher"),
        ("c", "The current password or login details"),
        ("d", "The content of any Huxley CE Primary School-sanctioned social media site"),
        ("e", "Staff must ensure that Huxley CE Primary School has parent/carer consent"),
        ("f", "Staff must ensure that they do not identify a student using their full name."),
        ("g", "Care must be taken that any links to external sites"),
        ("h", "Any inappropriate comments on or abuse of"),
        ("i", "Staff should not engage with any direct messaging of students"),
        ("j", "Staff should not seek to view/link up with /view student accounts."),
    ],
)
def test_huxley_lettered_items_are_cited_by_clause_and_letter(letter: str, start: str) -> None:
    clause = by_ref("huxley", f"6.3({letter})")
    assert clause.text.startswith(start)
    assert "When using social media for educational purposes, the following practices must be observed:" == (
        clause.lead_in
    )
    assert "Business use of social media" == clause.heading
    assert "**" not in clause.text


def test_huxley_short_lettered_items_stay_in_their_clause() -> None:
    clause = by_ref("huxley", "3.1")
    assert clause.text.startswith("Social media should never be used in a way that breaches any of our other policies.")
    assert "- (a) breach our IT policies and procedures;" in clause.text
    assert clause.text.endswith("- (g) breach any other laws or regulatory requirements.")


def test_herefordshire_bullet_is_quoted_with_its_lead_in() -> None:
    clause = starting("herefordshire", "Use personal social media during timetabled teaching time")
    assert ("7", "Personal use of Social Media by employees", "When using social media, staff must not:") == (
        clause.ref, clause.heading, clause.lead_in
    )


def test_herefordshire_bullet_wrapped_over_indented_lines_is_one_clause() -> None:
    clause = starting("herefordshire", "Must never access or use the sites of pupils")
    assert (
        'Must never access or use the sites of pupils or accept an invitation to "friend" a pupil at the school '
        "where they are working (this includes past pupils up to the age of 18). Personal communications are "
        "considered inappropriate and unprofessional and make staff vulnerable to allegations."
    ) == clause.text
    assert "When using social media, staff must not:" == clause.lead_in


@pytest.mark.parametrize(
    "start",
    [
        "Share confidential information online.",
        "Build or pursue relationships with children, parents, families.",
        "Post derogatory, defamatory or offensive comments about colleagues",
    ],
)
def test_wakefield_do_not_items_sit_under_do_not(start: str) -> None:
    assert starting("wakefield", start).heading.endswith("DO NOT")


@pytest.mark.parametrize("start", ["Act responsibly at all times.", "Remember the benefits."])
def test_wakefield_do_items_sit_under_do(start: str) -> None:
    assert starting("wakefield", start).heading.endswith("› DO")


def test_hampshire_list_of_short_items_stays_inside_its_clause() -> None:
    clause = starting("hampshire", "certain websites will be blocked, but it is a breach of this guide")
    lines = clause.text.split("\n")
    assert "certain websites will be blocked, but it is a breach of this guide to access any of the following types of site:" == lines[0]
    assert [
        "- pornography/Adult /mature content",
        "- gambling/betting/gaming",
        "- alcohol/Tobacco",
        "- illegal drugs",
        "- auction sites",
        "- violence/hate/racism",
        "- weapons",
        "- any site engaging in or encouraging illegal activity",
        "- illegal file-sharing sites",
    ] == lines[1:]
    assert [] == [c.id for c in clauses("hampshire") if c.text.startswith(("gambling", "weapons", "auction"))]


def test_herefordshire_duplicated_section_number_does_not_lose_sections() -> None:
    refs = list(dict.fromkeys(c.ref for c in clauses("herefordshire")))
    assert [str(n) for n in range(1, 15)] == refs
    section_14 = [c for c in clauses("herefordshire") if c.ref == "14"]
    assert ["Further training and guidance documents"] * 2 == [c.heading for c in section_14]
    assert section_14[0].text.startswith("The School will provide staff with information and professional development")
    assert section_14[1].text.startswith("All staff should also familiarise themselves Safe to Learn Cyberbullying Guidance.")


@pytest.mark.parametrize(
    ("school", "table_text"),
    [
        ("herefordshire", "0.01"),
        ("herefordshire", "Draft"),
        ("herefordshire", "Version log"),
        ("herefordshire", "Consultation Log"),
        ("herefordshire", "NASUWT"),
        ("herefordshire", "Table of contents"),
        ("herefordshire", "Document Classification"),
        ("huxley", "Jane Owens"),
        ("huxley", "Governors Meeting"),
        ("hampshire", "SharePoint Unique Identifier"),
        ("hampshire", "HRDOCID"),
        ("wakefield", "No Yes"),
        ("wakefield", "WHO POLICY APPLIES"),
    ],
)
def test_table_rows_are_not_quoted(school: str, table_text: str) -> None:
    assert table_text in source(school)
    assert [] == [c.id for c in clauses(school) if table_text in c.text or table_text in c.heading]


def test_huxley_contents_list_is_not_taken_for_the_policy() -> None:
    # The contents page words section 2 "...this policy"; the section itself says "...the policy".
    assert "2. Personnel responsible for implementing this policy" in source("huxley")
    headings = {c.heading for c in clauses("huxley")}
    assert "Personnel responsible for implementing this policy" not in headings
    assert "Contents" not in headings
    assert "Personnel responsible for implementing the policy" == by_ref("huxley", "2.1").heading
    assert [] == [c.id for c in clauses("huxley") if "About this policy" in c.text]


@pytest.mark.parametrize(
    "start",
    [
        "The school's internet connection is intended primarily for educational use.",
        "the school is not liable for any financial or material loss",
        "certain websites will be blocked",
        "the use of cloud storage e.g. Google Drive",
    ],
)
def test_hampshire_clauses_carry_their_heading(start: str) -> None:
    clause = starting("hampshire", start)
    assert ("", "Personal use of internet and social media") == (clause.ref, clause.heading)


def test_hampshire_next_heading_starts_a_new_section() -> None:
    clause = starting("hampshire", "The school recognises an employee's right to a private life.")
    assert "School reputation and confidentiality" == clause.heading


def test_hampshire_appendix_is_cited_as_an_appendix() -> None:
    clause = starting("hampshire", "I have read and understand the School Social Media Policy")
    assert ("Appendix 2", "Staff Declaration") == (clause.ref, clause.heading)


@pytest.mark.parametrize(
    "start",
    [
        "We expect that employees will not post any information online that could bring the Trust",
        "It is unacceptable to make derogatory or defamatory remarks about other employees",
    ],
)
def test_wakefield_sub_heading_is_joined_to_its_section(start: str) -> None:
    clause = starting("wakefield", start)
    assert ("7", "Principles › Respect") == (clause.ref, clause.heading)


def test_st_elisabeths_introduction_heading_is_not_glued_to_the_preamble() -> None:
    # Source: "...free school Principal.  \n Introduction \n \n\n1.1. This model policy..."
    assert [] == [c.id for c in clauses("st-elisabeths") if c.text.endswith("Introduction")]
    assert "Introduction" == by_ref("st-elisabeths", "1.1").heading


def test_wakefield_paragraph_after_a_list_is_not_part_of_its_last_item() -> None:
    # Source: " Inappropriate relationships ... use of social media. \n The policy is not intended to ..."
    paragraph = containing("wakefield", "The policy is not intended to restrict all activity on social media")
    assert 1 == len(paragraph)
    assert paragraph[0].text.startswith("The policy is not intended to restrict all activity on social media")
    assert paragraph[0].lead_in is None


def test_wakefield_first_item_under_a_sub_heading_is_a_clause() -> None:
    assert 1 == len(containing("wakefield", "Will review and update this policy as appropriate"))
    assert "Responsibilities › Human Resources (HR)" == starting("wakefield", "Will support Head teachers").heading


def test_wakefield_sub_items_are_quoted_with_what_they_complete() -> None:
    clause = containing("wakefield", "To familiarise themselves with the policy")
    assert 1 == len(clause)
    assert "They will remind employees annually" in f"{clause[0].lead_in} {clause[0].text}"


def test_hampshire_short_item_of_a_split_list_is_kept() -> None:
    assert "- Politically sensitive information." in source("hampshire")
    clause = containing("hampshire", "Politically sensitive information.")
    assert 1 == len(clause)
    assert "Confidential information includes, but is not limited to:" == clause[0].lead_in


# --- one rule at a time, on small documents -------------------------------------------------------


def test_markdown_bullets_under_a_lead_in_are_one_clause_each() -> None:
    text = (
        "7. Personal use\n\n"
        "When using social media, staff **must not**:\n\n"
        "- Use personal accounts to conduct school business or to contact parents about pupils\n"
        "- Post images of pupils on any personal account or site, whether public or private\n"
    )
    lead_in = "When using social media, staff must not:"
    assert [
        ("7", "Personal use", lead_in, "Use personal accounts to conduct school business or to contact parents about pupils"),
        ("7", "Personal use", lead_in, "Post images of pupils on any personal account or site, whether public or private"),
    ] == split(text)


def test_markdown_bullets_of_short_items_stay_with_their_lead_in() -> None:
    text = (
        "Risks\n\n"
        "Principal amongst these risks are:\n\n"
        "- cyber bullying by pupils;\n"
        "- access to inappropriate material;\n"
        "- loss or theft of personal data;\n"
    )
    assert [
        ("", "Risks", None, "Principal amongst these risks are:\n- cyber bullying by pupils;\n"
         "- access to inappropriate material;\n- loss or theft of personal data;"),
    ] == split(text)


def test_glyph_lost_items_after_a_colon_are_list_items() -> None:
    text = (
        "2. Aims of the Policy\n\n"
        "The purpose of this policy is to ensure that:\n\n"
        " Employees are aware of the expectations of appropriate use of social media applications at all times;\n\n"
        " The reputation of the Trust and its Academies is not adversely affected by anything staff post online;\n"
    )
    lead_in = "The purpose of this policy is to ensure that:"
    assert [
        ("2", "Aims of the Policy", lead_in,
         "Employees are aware of the expectations of appropriate use of social media applications at all times;"),
        ("2", "Aims of the Policy", lead_in,
         "The reputation of the Trust and its Academies is not adversely affected by anything staff post online;"),
    ] == split(text)


def test_glyph_lost_short_items_stay_with_their_lead_in() -> None:
    text = (
        "8. Associated Documents\n\n"
        "This policy should be read in conjunction with the following documents:\n\n"
        " Trust Staff Code of Conduct\n\n"
        " Trust Disciplinary Policy and Procedure\n\n"
        " Trust Data Protection Policy\n"
    )
    assert [
        ("8", "Associated Documents", None,
         "This policy should be read in conjunction with the following documents:\n"
         "• Trust Staff Code of Conduct\n• Trust Disciplinary Policy and Procedure\n• Trust Data Protection Policy"),
    ] == split(text)


def test_clause_broken_across_a_blank_line_is_joined() -> None:
    text = (
        "6. Responsibilities\n\n"
        "6.4 Adults must not request, or respond to a request for any personal information from or\n\n"
        "about a pupil at the school.\n\n"
        "6.5 Adults must not engage in conversations about pupils with their parents.\n"
    )
    assert [
        ("6.4", "Responsibilities", None,
         "Adults must not request, or respond to a request for any personal information from or about a pupil at the school."),
        ("6.5", "Responsibilities", None, "Adults must not engage in conversations about pupils with their parents."),
    ] == split(text)


def test_numbered_clause_starting_on_the_next_line_is_a_new_clause() -> None:
    text = (
        "6. Responsibilities\n\n"
        "6.11 Adults must be cautious about following or being followed by parents of pupils.\n"
        " 6.12 Adults must also be cautious when inviting work colleagues to be friends.\n"
    )
    assert [
        ("6.11", "Responsibilities", None, "Adults must be cautious about following or being followed by parents of pupils."),
        ("6.12", "Responsibilities", None, "Adults must also be cautious when inviting work colleagues to be friends."),
    ] == split(text)


def test_page_number_and_running_header_and_footer_are_dropped() -> None:
    text = (
        "5. Personal Use\n\n"
        "We authorise such occasional use so long as it does not involve unprofessional or\n\n"
        "Social Media Policy\nPage 6\n\nNovember 2016\n\n"
        "inappropriate content and does not interfere with your employment responsibilities or\n"
        "productivity (so not during paid working time).\n\n"
        "Using our equipment for personal social media in work time is not permitted.\n"
    )
    assert [
        ("5", "Personal Use", None,
         "We authorise such occasional use so long as it does not involve unprofessional or inappropriate content "
         "and does not interfere with your employment responsibilities or productivity (so not during paid working time)."),
        ("5", "Personal Use", None, "Using our equipment for personal social media in work time is not permitted."),
    ] == split(text)


@pytest.mark.parametrize("mark", ["Page 6", "Page 6 of 9", "6 of 9", "- 6 -"])
def test_page_number_forms_are_dropped(mark: str) -> None:
    text = (
        "5. Personal Use\n\n"
        "Staff may use social media in their breaks, provided that they follow this policy.\n\n"
        f"{mark}\n\n"
        "Using our equipment for personal social media in work time is not permitted.\n"
    )
    assert [
        ("5", "Personal Use", None, "Staff may use social media in their breaks, provided that they follow this policy."),
        ("5", "Personal Use", None, "Using our equipment for personal social media in work time is not permitted."),
    ] == split(text)


def test_section_heading_right_after_a_page_number_survives() -> None:
    text = (
        "6. Failure to Comply\n\n"
        "Any breach of this policy by an employee may result in disciplinary action.\n\n"
        "Page 6\n\n"
        "7. Principles\n\n"
        "Employees must adhere to the following principles at all times.\n"
    )
    assert [
        ("6", "Failure to Comply", None, "Any breach of this policy by an employee may result in disciplinary action."),
        ("7", "Principles", None, "Employees must adhere to the following principles at all times."),
    ] == split(text)


def test_table_grid_of_short_lines_is_dropped() -> None:
    text = (
        "3. Scope\n\n"
        "The policy covers the use of social media applications by employees and agency workers.\n\n"
        "WHO POLICY APPLIES GENERAL PRINCIPLES AND\nSTANDARDS APPLY\n\n"
        "School employees and\nagency workers\n\nYes Yes\n\n"
        "Wakefield Council\nemployees\n\nNo Yes\n\n"
        "Volunteers No Yes\n\nAcademy Council No Yes\n\n"
        "The requirements of this policy apply to all uses of school media applications.\n"
    )
    assert [
        ("3", "Scope", None, "The policy covers the use of social media applications by employees and agency workers."),
        ("3", "Scope", None, "The requirements of this policy apply to all uses of school media applications."),
    ] == split(text)


def test_tab_separated_rows_and_contents_are_dropped() -> None:
    text = (
        "Contents\n\n"
        "1.\tIntroduction\t2\n2.\tScope\t3\n"
        "3. Monitoring ........................ 4\n\n"
        "Version\tStatus\tDate\tDescription of change\n0.01\tDraft\t22.9.16\tNew Policy\n\n"
        "1. Introduction\n\n"
        "This policy applies to all staff working in the school at any time.\n"
    )
    assert [("1", "Introduction", None, "This policy applies to all staff working in the school at any time.")] == split(text)


def test_markdown_headings_give_heading_and_sub_heading() -> None:
    text = (
        "# Social Media Policy\n\n"
        "## Personal use\n\n"
        "Staff may use social media during their breaks as long as they follow this policy.\n\n"
        "### Breaks\n\n"
        "Personal devices must be kept out of sight of pupils during lessons.\n"
    )
    assert [
        ("", "Personal use", None, "Staff may use social media during their breaks as long as they follow this policy."),
        ("", "Personal use › Breaks", None, "Personal devices must be kept out of sight of pupils during lessons."),
    ] == split(text)


def test_lettered_items_are_cited_by_clause_and_letter() -> None:
    text = (
        "6. Business use\n\n"
        "6.3 When using social media for educational purposes, the following practices must be observed:\n"
        "- (a) Staff should set up a distinct and dedicated social media account for educational purposes only;\n"
        " - (b) The URL and identity of the site should be notified to the Headteacher before any account is activated;\n"
        "6.4 The failure to follow the rules set out above may give rise to disciplinary action.\n"
    )
    lead_in = "When using social media for educational purposes, the following practices must be observed:"
    assert [
        ("6.3(a)", "Business use", lead_in,
         "Staff should set up a distinct and dedicated social media account for educational purposes only;"),
        ("6.3(b)", "Business use", lead_in,
         "The URL and identity of the site should be notified to the Headteacher before any account is activated;"),
        ("6.4", "Business use", None, "The failure to follow the rules set out above may give rise to disciplinary action."),
    ] == split(text)


def test_short_numbered_list_items_are_not_section_headings() -> None:
    text = (
        "3. Rules\n\n"
        "Staff must follow these rules:\n\n"
        "1. Never share passwords with pupils\n"
        "2. Keep personal devices locked when in school\n\n"
        "4. Breaches\n\n"
        "Any breach of these rules will be investigated.\n"
    )
    found = split(text)
    for item in ("Never share passwords with pupils", "Keep personal devices locked when in school"):
        assert [("3", "Rules")] == [(ref, heading) for ref, heading, _, quoted in found if item in quoted]
    assert ("4", "Breaches", None, "Any breach of these rules will be investigated.") == found[-1]
