"""bot.knowledge.load_knowledge: the real knowledge/ folder (five sample schools) and broken knowledge
folders built in tmp_path, each of which must stop start-up with a message naming what is wrong."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import KnowledgeError
from bot.knowledge import KnowledgeBase, UnknownSchool, load_knowledge
from bot.roles import Role

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
SCHOOL_IDS = ["hampshire", "herefordshire", "huxley", "st-elisabeths", "wakefield"]
POLICY = "1. Introduction\n\nThis policy applies to all staff working in the school at any time.\n"


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


def slack_team(school_id: str) -> str:
    return "T" + school_id.upper().replace("-", "")


# --- the real knowledge folder --------------------------------------------------------------------


def test_five_sample_schools_load(knowledge: KnowledgeBase) -> None:
    assert SCHOOL_IDS == sorted(knowledge.schools)
    assert SCHOOL_IDS == sorted(s.id for s in knowledge.schools.values())


@pytest.mark.parametrize("school_id", SCHOOL_IDS)
def test_every_school_has_clauses_of_its_own(knowledge: KnowledgeBase, school_id: str) -> None:
    school = knowledge.school(school_id)
    assert len(school.clauses) >= 40
    assert {school_id} == {c.school for c in school.clauses}
    assert {"Social Media Policy"} == {c.policy for c in school.clauses}
    assert ["Social Media Policy"] == list(school.policies)


def test_synonyms_are_loaded(knowledge: KnowledgeBase) -> None:
    assert len(knowledge.synonyms) > 100


@pytest.mark.parametrize("school_id", SCHOOL_IDS)
def test_slack_team_maps_back_to_its_school(knowledge: KnowledgeBase, school_id: str) -> None:
    assert school_id == knowledge.for_slack_team(slack_team(school_id)).id


@pytest.mark.parametrize(("team", "school_id"), [("THUXLEY", "huxley"), ("TSTELISABETHS", "st-elisabeths")])
def test_slack_team_examples(knowledge: KnowledgeBase, team: str, school_id: str) -> None:
    assert school_id == knowledge.for_slack_team(team).id


@pytest.mark.parametrize("school_id", SCHOOL_IDS)
def test_teams_tenant_maps_back_to_its_school(knowledge: KnowledgeBase, school_id: str) -> None:
    assert school_id == knowledge.for_teams_tenant(f"tenant-{school_id}").id


@pytest.mark.parametrize("team", ["TUNKNOWN", "thuxley", "", "huxley"])
def test_unknown_slack_team_is_none(knowledge: KnowledgeBase, team: str) -> None:
    assert knowledge.for_slack_team(team) is None


@pytest.mark.parametrize("tenant", ["tenant-unknown", "huxley", ""])
def test_unknown_teams_tenant_is_none(knowledge: KnowledgeBase, tenant: str) -> None:
    assert knowledge.for_teams_tenant(tenant) is None


def test_unknown_school_lists_the_known_ones(knowledge: KnowledgeBase) -> None:
    with pytest.raises(UnknownSchool) as raised:
        knowledge.school("nowhere")
    assert "unknown school 'nowhere'; known schools: hampshire, herefordshire, huxley, st-elisabeths, wakefield" == str(
        raised.value
    )
    assert isinstance(raised.value, LookupError)


@pytest.mark.parametrize("school_id", SCHOOL_IDS)
def test_contacts_are_example_org_addresses(knowledge: KnowledgeBase, school_id: str) -> None:
    contacts = knowledge.school(school_id).config.contacts
    assert contacts
    not_example = [c.email for c in contacts.values() if not re.fullmatch(r"[^@\s]+@([a-z0-9-]+\.)*example\.org", c.email)]
    assert [] == not_example


@pytest.mark.parametrize(
    ("school_id", "role"),
    [
        ("herefordshire", Role.HEADTEACHER),
        ("huxley", Role.HR),
        ("hampshire", Role.SENIOR_LEADERSHIP),
        ("st-elisabeths", Role.HEADTEACHER),
        ("wakefield", Role.HR),
    ],
)
def test_default_contact_is_the_one_the_policy_names(knowledge: KnowledgeBase, school_id: str, role: Role) -> None:
    config = knowledge.school(school_id).config
    assert role == config.default_contact
    assert role in config.contacts


# --- broken knowledge folders ---------------------------------------------------------------------


def config(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Test School",
        "default_contact": "hr",
        "safeguarding_contact": "hr",
        "contacts": {"hr": {"name": "HR", "email": "hr@test.example.org"}},
        "policies": [{"file": "policy.txt", "title": "Social Media Policy"}],
        **changes,
    }


def add_school(root: Path, school_id: str, policy: str = POLICY, **changes: Any) -> Path:
    folder = root / school_id
    folder.mkdir(parents=True)
    (folder / "school.yaml").write_text(yaml.safe_dump(config(**changes)), encoding="utf-8")
    (folder / "policy.txt").write_text(policy, encoding="utf-8")
    return folder


def knowledge_error(folder: Path) -> str:
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(folder)
    return str(raised.value)


def test_small_knowledge_folder_loads(tmp_path: Path) -> None:
    add_school(tmp_path, "alpha", slack_team_id="TALPHA", teams_tenant_id="tenant-alpha")
    add_school(tmp_path, "beta", slack_team_id="TBETA")
    (tmp_path / "synonyms.yaml").write_text("mum: [parent, carer]\nkid: pupil\n", encoding="utf-8")
    loaded = load_knowledge(tmp_path)
    assert ["alpha", "beta"] == sorted(loaded.schools)
    assert ("alpha", "beta") == (loaded.for_slack_team("TALPHA").id, loaded.for_slack_team("TBETA").id)
    assert "alpha" == loaded.for_teams_tenant("tenant-alpha").id
    assert 2 == len(loaded.synonyms)
    assert ["This policy applies to all staff working in the school at any time."] == [
        c.text for c in loaded.school("alpha").clauses
    ]


def test_folder_without_school_yaml_is_not_a_school(tmp_path: Path) -> None:
    add_school(tmp_path, "alpha")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "notes.txt").write_text("not a school", encoding="utf-8")
    assert ["alpha"] == list(load_knowledge(tmp_path).schools)


@pytest.mark.parametrize("attribute", ["slack_team_id", "teams_tenant_id"])
def test_two_schools_claiming_the_same_workspace(tmp_path: Path, attribute: str) -> None:
    add_school(tmp_path, "alpha", **{attribute: "SHARED"})
    add_school(tmp_path, "beta", **{attribute: "SHARED"})
    message = knowledge_error(tmp_path)
    assert attribute in message
    assert "'SHARED'" in message
    assert "'alpha'" in message and "'beta'" in message


@pytest.mark.parametrize(
    ("file", "text", "problem"),
    [
        ("synonyms.yaml", "mum: {parent: carer}\n", "entry 'mum'"),
        ("synonyms.yaml", "mum: [parent, {carer: 1}]\n", "entry 'mum'"),
        ("synonyms.yaml", "mum: 3\n", "entry 'mum'"),
        ("synonyms.yaml", "- mum\n- parent\n", "expected 'staff word: [policy words]' entries"),
        ("synonyms.yaml", "mum: [parent\n", "not valid YAML"),
        ("retrieval.yaml", "max_clauses: 9\n", "max_clauses"),
        ("retrieval.yaml", "colour: red\n", "colour"),
        ("retrieval.yaml", "min_coverage: [\n", ""),
    ],
)
def test_a_malformed_knowledge_file_names_itself_and_the_problem(
    tmp_path: Path, file: str, text: str, problem: str
) -> None:
    add_school(tmp_path, "alpha")
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")
    message = knowledge_error(tmp_path)
    assert str(path) in message
    assert problem in message


def test_missing_synonyms_file_means_no_synonyms(tmp_path: Path) -> None:
    add_school(tmp_path, "alpha")
    assert 0 == len(load_knowledge(tmp_path).synonyms)


def test_empty_knowledge_folder(tmp_path: Path) -> None:
    message = knowledge_error(tmp_path)
    assert str(tmp_path) in message
    assert "no school folders" in message


def test_missing_knowledge_folder(tmp_path: Path) -> None:
    message = knowledge_error(tmp_path / "absent")
    assert str(tmp_path / "absent") in message
    assert "not found" in message


@pytest.mark.parametrize("policy", ["SIGNED:\n\nDATE:\n\nPRINT NAME:\n", "Contents\n\n1.\tIntroduction\t2\n2.\tScope\t3\n"])
def test_policy_with_no_clauses(tmp_path: Path, policy: str) -> None:
    add_school(tmp_path, "alpha")
    folder = add_school(tmp_path, "beta", policy=policy)
    message = knowledge_error(tmp_path)
    assert str(folder / "policy.txt") in message
    assert "no clauses found" in message


def test_unreadable_policy_document(tmp_path: Path) -> None:
    add_school(tmp_path, "alpha", policy="   \n\n")
    message = knowledge_error(tmp_path)
    assert "policy.txt has no text to read" in message


def test_unreadable_policy_document_names_its_school_folder(tmp_path: Path) -> None:
    add_school(tmp_path, "alpha")
    folder = add_school(tmp_path, "beta", policy="   \n\n")
    message = knowledge_error(tmp_path)
    assert str(folder / "policy.txt") in message


def test_bad_school_config_stops_loading(tmp_path: Path) -> None:
    add_school(tmp_path, "alpha")
    folder = add_school(tmp_path, "beta", default_contact="dsl")
    message = knowledge_error(tmp_path)
    assert str(folder / "school.yaml") in message
    assert "default_contact" in message
