"""The knowledge base: every school's configuration, clauses and index, loaded once at start-up."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.config import CONFIG_FILE, KnowledgeError, PolicyConfig, SchoolConfig, load_school_config
from bot.examples import EXAMPLES_FILE, examples_by_clause, read_examples
from bot.index import ClauseIndex
from bot.ingest.readers import DocumentError, read_document
from bot.ingest.segment import split_clauses
from bot.meaning import clause_vectors, load_encoder
from bot.models import Clause
from bot.retrieval_settings import RetrievalSettings, load_retrieval_settings
from bot.roles import ROUTING, Role, routing_roles
from bot.safeguarding import ROUTE_TERMS
from bot.semantic import Encoder
from bot.spelling import Speller
from bot.synonyms import SYNONYMS_FILE, Synonyms, load_synonyms
from bot.text import words


class UnknownSchool(LookupError):
    def __init__(self, school_id: str, known: list[str]) -> None:
        super().__init__(f"unknown school {school_id!r}; known schools: {', '.join(known) or 'none'}")


@dataclass
class School:
    config: SchoolConfig
    clauses: list[Clause]
    index: ClauseIndex
    policies: dict[str, PolicyConfig] = field(default_factory=dict)  # by title
    # One unit vector per clause when re-ranking by meaning (policybot[semantic]); else None.
    vectors: np.ndarray | None = None
    # Derived from the clauses once, at load time, so answering does no regex work.
    # Per clause, the roles it sends the reader to that this school has contacts for.
    routing: list[tuple[Role, ...]] = field(init=False)
    # Per clause, whether it sends the reader to anyone (1.0) or not (0.0).
    routed: np.ndarray = field(init=False)
    # Clauses that give a safeguarding route (they speak of safeguarding and send someone somewhere).
    routes: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.routing = [
            tuple(r for r in routing_roles(f"{c.lead_in or ''} {c.text}") if r in self.config.contacts)
            for c in self.clauses
        ]
        self.routed = np.array([float(bool(roles)) for roles in self.routing])
        self.routes = [
            i for i, c in enumerate(self.clauses)
            if ROUTE_TERMS.search(c.text) and (self.routing[i] or ROUTING.search(c.text))
        ]

    @property
    def id(self) -> str:
        return self.config.id


@dataclass
class KnowledgeBase:
    schools: dict[str, School]
    synonyms: Synonyms
    settings: RetrievalSettings
    speller: Speller
    encoder: Encoder | None = None

    def school(self, school_id: str) -> School:
        try:
            return self.schools[school_id]
        except KeyError:
            raise UnknownSchool(school_id, sorted(self.schools)) from None

    def for_slack_team(self, team_id: str) -> School | None:
        return next((s for s in self.schools.values() if s.config.slack_team_id == team_id), None)

    def for_teams_tenant(self, tenant_id: str) -> School | None:
        return next((s for s in self.schools.values() if s.config.teams_tenant_id == tenant_id), None)


def load_clauses(folder: Path, config: SchoolConfig) -> list[Clause]:
    clauses: list[Clause] = []
    for policy in config.policies:
        try:
            text = read_document(folder / policy.file)
        except DocumentError as exc:
            # The reader's message starts with the file's name; every school's file may have the
            # same name, so put the school's folder in front of it.
            raise KnowledgeError(f"{folder}/{exc}") from None
        found = split_clauses(text, school=config.id, policy=policy.title, source=policy.file)
        if not found:
            raise KnowledgeError(f"{folder / policy.file}: no clauses found (is the text extractable?)")
        clauses.extend(found)
    return clauses


def load_school(folder: Path, settings: RetrievalSettings) -> School:
    config = load_school_config(folder)
    clauses = load_clauses(folder, config)
    path = folder / EXAMPLES_FILE
    examples = examples_by_clause(read_examples(path), clauses, path)
    index = ClauseIndex(clauses, settings.context_weight, settings.sentence_weight,
                        examples, settings.example_weight)
    return School(config, clauses, index, {p.title: p for p in config.policies})


def load_knowledge(folder: Path, semantic: bool = False, cache_dir: Path | None = None) -> KnowledgeBase:
    """Load every school folder under ``folder``; any bad file stops start-up with a clear message.

    With ``semantic`` (and the extra installed), clauses are also embedded for re-ranking by meaning.
    """
    if not folder.is_dir():
        raise KnowledgeError(f"{folder}: knowledge folder not found")
    settings = load_retrieval_settings(folder)
    schools: dict[str, School] = {}
    for sub in sorted(p for p in folder.iterdir() if (p / CONFIG_FILE).is_file()):
        school = load_school(sub, settings)
        schools[school.id] = school
    if not schools:
        raise KnowledgeError(f"{folder}: no school folders (each needs a {CONFIG_FILE})")
    _check_unique(schools)
    synonyms = load_synonyms(folder / SYNONYMS_FILE)
    vocabulary = {w for s in schools.values() for c in s.clauses
                  for w in words(f"{c.heading} {c.lead_in or ''} {c.text}")}
    encoder = load_encoder(semantic)
    if encoder is not None:
        for school in schools.values():
            school.vectors = clause_vectors(encoder, school.clauses, cache_dir)
    return KnowledgeBase(schools, synonyms, settings, Speller(vocabulary | synonyms.words), encoder)


def _check_unique(schools: dict[str, School]) -> None:
    for attribute in ("slack_team_id", "teams_tenant_id"):
        seen: dict[str, str] = {}
        for school in schools.values():
            value = getattr(school.config, attribute)
            if value and value in seen:
                raise KnowledgeError(
                    f"{attribute} {value!r} is claimed by both {seen[value]!r} and {school.id!r}"
                )
            if value:
                seen[value] = school.id
