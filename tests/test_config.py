"""bot.config.load_school_config on school folders written to tmp_path: a valid configuration loads, and
every mistake HR can make in school.yaml stops start-up with a message naming the file, the field and
what is wrong with it."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import KnowledgeError, load_school_config
from bot.roles import Role

POLICY_FILE = "social-media-policy.txt"


def minimal() -> dict[str, Any]:
    return {
        "name": "Test Primary School",
        "default_contact": "hr",
        "safeguarding_contact": "headteacher",
        "contacts": {
            "hr": {"name": "HR", "email": "hr@test.example.org"},
            "headteacher": {"name": "Headteacher", "email": "head@test.example.org"},
        },
        "policies": [{"file": POLICY_FILE, "title": "Social Media Policy"}],
    }


def school_folder(root: Path, config: dict[str, Any] | None, name: str = "test-school",
                  raw: str | None = None, policy: bool = True) -> Path:
    folder = root / name
    folder.mkdir()
    if raw is not None:
        (folder / "school.yaml").write_text(raw, encoding="utf-8")
    elif config is not None:
        (folder / "school.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    if policy:
        (folder / POLICY_FILE).write_text("1. Introduction\n\nThis policy applies to all staff.\n", encoding="utf-8")
    return folder


def error(folder: Path) -> str:
    with pytest.raises(KnowledgeError) as raised:
        load_school_config(folder)
    return str(raised.value)


def assert_names(folder: Path, *phrases: str) -> None:
    """Loading fails with a message naming the configuration file and each phrase."""
    message = error(folder)
    assert str(folder / "school.yaml") in message
    for phrase in phrases:
        assert phrase in message


def with_changes(**changes: Any) -> dict[str, Any]:
    return {**minimal(), **changes}


def test_minimal_config_loads(tmp_path: Path) -> None:
    config = load_school_config(school_folder(tmp_path, minimal()))
    assert "test-school" == config.id
    assert "Test Primary School" == config.name
    assert (Role.HR, Role.HEADTEACHER) == (config.default_contact, config.safeguarding_contact)
    assert [(POLICY_FILE, "Social Media Policy", None, None)] == [
        (p.file, p.title, p.adopted, p.review) for p in config.policies
    ]
    assert (None, None, False) == (config.slack_team_id, config.teams_tenant_id, config.log_asker_identity)


def test_optional_fields_load(tmp_path: Path) -> None:
    config = load_school_config(school_folder(tmp_path, with_changes(
        id="test-school", slack_team_id="TTEST", teams_tenant_id="tenant-test", log_asker_identity=True,
        policies=[{"file": POLICY_FILE, "title": "Social Media Policy", "adopted": "2022-07-18", "review": "2023-07-17"}],
    )))
    assert ("TTEST", "tenant-test", True) == (config.slack_team_id, config.teams_tenant_id, config.log_asker_identity)
    assert (date(2022, 7, 18), date(2023, 7, 17)) == (config.policies[0].adopted, config.policies[0].review)


def test_contact_without_an_entry_falls_back_to_the_default_contact(tmp_path: Path) -> None:
    config = load_school_config(school_folder(tmp_path, minimal()))
    assert "hr@test.example.org" == config.contact(Role.IT).email
    assert "head@test.example.org" == config.contact(Role.HEADTEACHER).email


def test_missing_school_yaml(tmp_path: Path) -> None:
    folder = school_folder(tmp_path, None)
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert "missing" in message


@pytest.mark.parametrize("raw", ["name: [unclosed\n", "name: Test\n  contacts: : :\n", "\tname: Test\n"])
def test_invalid_yaml(tmp_path: Path, raw: str) -> None:
    folder = school_folder(tmp_path, None, raw=raw)
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert "not valid YAML" in message


@pytest.mark.parametrize(("raw", "found"), [("- name\n- hr\n", "list"), ("just a sentence\n", "str"), ("", "NoneType")])
def test_not_a_mapping(tmp_path: Path, raw: str, found: str) -> None:
    folder = school_folder(tmp_path, None, raw=raw)
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert "expected a mapping" in message
    assert found in message


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (with_changes(colour="red"), "colour"),
        (with_changes(contacts={"hr": {"name": "HR", "email": "hr@test.example.org", "phone": "0123"},
                                "headteacher": {"name": "Head", "email": "head@test.example.org"}}), "contacts.hr.phone"),
        (with_changes(policies=[{"file": POLICY_FILE, "title": "Social Media Policy", "owner": "HR"}]), "policies.0.owner"),
    ],
)
def test_unknown_field(tmp_path: Path, config: dict[str, Any], field: str) -> None:
    assert_names(school_folder(tmp_path, config), f"{field}: Extra inputs are not permitted")


@pytest.mark.parametrize("field", ["name", "default_contact", "safeguarding_contact", "contacts", "policies"])
def test_missing_required_field(tmp_path: Path, field: str) -> None:
    config = minimal()
    del config[field]
    assert_names(school_folder(tmp_path, config), f"{field}: Field required")


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (with_changes(name=""), "name"),
        (with_changes(policies=[]), "policies"),
        (with_changes(policies=[{"file": POLICY_FILE, "title": ""}]), "policies.0.title"),
        (with_changes(policies=[{"file": POLICY_FILE, "title": "P", "review": "next year"}]), "policies.0.review"),
        (with_changes(log_asker_identity="sometimes"), "log_asker_identity"),
    ],
)
def test_bad_value(tmp_path: Path, config: dict[str, Any], field: str) -> None:
    assert_names(school_folder(tmp_path, config), f"{field}: ")


@pytest.mark.parametrize("email", ["not-an-email", "hr@school", "h r@test.example.org", "hr@@test.example.org", ""])
def test_bad_email(tmp_path: Path, email: str) -> None:
    config = with_changes(contacts={"hr": {"name": "HR", "email": email},
                                    "headteacher": {"name": "Head", "email": "head@test.example.org"}})
    assert_names(school_folder(tmp_path, config), "contacts.hr.email", f"{email!r} is not an email address")


def test_unknown_role_in_contacts_is_named_and_known_roles_listed(tmp_path: Path) -> None:
    contacts = {**minimal()["contacts"], "janitor": {"name": "Janitor", "email": "janitor@test.example.org"}}
    folder = school_folder(tmp_path, with_changes(contacts=contacts))
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert "contacts.janitor" in message
    assert all(f"'{role.value}'" in message for role in Role)


@pytest.mark.parametrize("field", ["default_contact", "safeguarding_contact"])
def test_unknown_role_as_contact_lists_known_roles(tmp_path: Path, field: str) -> None:
    folder = school_folder(tmp_path, with_changes(**{field: "janitor"}))
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert f"{field}: " in message
    assert "janitor" in message
    assert all(f"'{role.value}'" in message for role in Role)


@pytest.mark.parametrize("field", ["default_contact", "safeguarding_contact"])
def test_contact_role_without_a_contacts_entry(tmp_path: Path, field: str) -> None:
    folder = school_folder(tmp_path, with_changes(**{field: "dsl"}))
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert f"{field} is 'dsl' but contacts has no 'dsl' entry" in message


def test_policy_file_listed_but_missing(tmp_path: Path) -> None:
    folder = school_folder(tmp_path, minimal(), policy=False)
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert "policies" in message
    assert f"{POLICY_FILE!r} not found" in message


@pytest.mark.parametrize("name", ["Huxley", "st elisabeths", "St-Elisabeths", "st_elisabeths", "-huxley"])
def test_folder_name_must_be_lower_case_letters_digits_and_hyphens(tmp_path: Path, name: str) -> None:
    folder = school_folder(tmp_path, minimal(), name=name)
    message = error(folder)
    assert str(folder) in message
    assert "folder name" in message
    assert "lower-case letters, digits and hyphens" in message


def test_id_must_match_the_folder_name(tmp_path: Path) -> None:
    folder = school_folder(tmp_path, with_changes(id="other-school"))
    message = error(folder)
    assert str(folder / "school.yaml") in message
    assert "id: 'other-school' does not match the folder name 'test-school'" in message
