"""A school's configuration (``knowledge/<school>/school.yaml``), validated."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.roles import Role

CONFIG_FILE = "school.yaml"
# The synonyms and examples files run to thousands of lines: libyaml's parser (bundled in PyYAML's
# wheels) reads them several times faster than the pure-Python one, which stays as the fallback.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SCHOOL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class KnowledgeError(Exception):
    """A knowledge-base file is missing or wrong; the message names the file and the problem."""


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an email address")
    return value


class ContactConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="A person's name or a role title")
    email: Annotated[str, AfterValidator(_email)]
    slack_user_id: str | None = None
    teams_user_id: str | None = None


class PolicyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1)
    title: str = Field(min_length=1)
    adopted: date | None = None
    review: date | None = None


class SchoolConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(min_length=1)
    slack_team_id: str | None = None
    teams_tenant_id: str | None = None
    default_contact: Role = Field(description="Who policy queries go to, as the policy says")
    safeguarding_contact: Role = Field(description="Where the policy sends a concern about a child")
    contacts: dict[Role, ContactConfig]
    policies: list[PolicyConfig] = Field(min_length=1)
    log_asker_identity: bool = Field(
        default=False, description="Store who asked an unanswered question (off: stored anonymously)"
    )

    @model_validator(mode="after")
    def _roles_have_contacts(self) -> SchoolConfig:
        for field in ("default_contact", "safeguarding_contact"):
            role = getattr(self, field)
            if role not in self.contacts:
                raise ValueError(f"{field} is {role.value!r} but contacts has no {role.value!r} entry")
        return self

    def contact(self, role: Role) -> ContactConfig:
        return self.contacts.get(role) or self.contacts[self.default_contact]


def read_yaml(path: Path) -> Any:
    """A knowledge file's YAML; a file that is not YAML (or not UTF-8) is a KnowledgeError naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        value = item.get("input")
        got = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
        parts.append(f"{where}: {item['msg']}{got}")
    return "; ".join(parts)


def load_school_config(folder: Path) -> SchoolConfig:
    """Read and validate ``folder/school.yaml``; the school id is the folder's name."""
    path = folder / CONFIG_FILE
    if not _SCHOOL_ID.match(folder.name):
        raise KnowledgeError(f"{folder}: a school folder name must be lower-case letters, digits and hyphens")
    if not path.is_file():
        raise KnowledgeError(f"{path}: missing (every school folder needs a {CONFIG_FILE})")
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: expected a mapping of settings, found {type(raw).__name__}")
    if "id" in raw and raw["id"] != folder.name:
        raise KnowledgeError(f"{path}: id: {raw['id']!r} does not match the folder name {folder.name!r}")
    try:
        config = SchoolConfig.model_validate({**raw, "id": folder.name})
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: {_describe(exc)}") from None
    for policy in config.policies:
        if not (folder / policy.file).is_file():
            raise KnowledgeError(f"{path}: policies: file {policy.file!r} not found in {folder}")
    return config
