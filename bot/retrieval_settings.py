"""Retrieval settings (``knowledge/retrieval.yaml``), written by ``policybot calibrate``."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.config import KnowledgeError, read_yaml

SETTINGS_FILE = "retrieval.yaml"


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    context_weight: float = Field(0.4, ge=0, description="Weight of the heading / lead-in field")
    sentence_weight: float = Field(
        0.5, ge=0, le=1, description="Weight of a clause's best sentence against the whole clause"
    )
    example_weight: float = Field(
        0.5, ge=0, description="Weight of the words of questions a clause has answered (examples.yaml)"
    )
    min_coverage: float = Field(
        0.5, ge=0, le=1, description="Share of the question's ideas the best clause must account for"
    )
    unknown_weight: float = Field(
        1.5, ge=1, description="Weight of a question word the policies never use, relative to their rarest word"
    )
    semantic_weight: float = Field(
        0.8, ge=0, le=1, description="With policybot[semantic]: weight of meaning against words in ranking"
    )
    # Ranking by meaning changes which clause comes first, so its abstention is calibrated apart.
    semantic_min_coverage: float = Field(0.19, ge=0, le=1)
    semantic_unknown_weight: float = Field(1.5, ge=1)
    contact_weight: float = Field(
        0.5, ge=0, description="For 'who do I tell?' questions: extra weight of clauses that name someone to go to"
    )
    relative_score: float = Field(
        0.6, ge=0, le=1, description="Further clauses are quoted only if they score this share of the best"
    )
    max_clauses: int = Field(3, ge=1, le=5)

    def abstention(self, semantic: bool) -> tuple[float, float]:
        """(min_coverage, unknown_weight) for ranking by words, or by words and meaning."""
        if semantic:
            return self.semantic_min_coverage, self.semantic_unknown_weight
        return self.min_coverage, self.unknown_weight


def load_retrieval_settings(folder: Path) -> RetrievalSettings:
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return RetrievalSettings()
    raw = read_yaml(path) or {}
    try:
        return RetrievalSettings.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: {' '.join(str(exc).split())}") from None


def save_calibration(folder: Path, calibrated: dict[str, float], calibrated_on: str) -> Path:
    """Record calibrated settings, keeping the others as they are."""
    path = folder / SETTINGS_FILE
    current = load_retrieval_settings(folder).model_dump()
    try:
        settings = RetrievalSettings.model_validate({**current, **calibrated})
    except ValidationError as exc:
        raise ValueError(f"calibrated settings out of bounds: {' '.join(str(exc).split())}") from None
    header = (f"# Retrieval settings. The abstention settings (min_coverage, unknown_weight) and, for\n"
              f"# policybot[semantic], semantic_* come from `policybot calibrate {calibrated_on}`, run once\n"
              "# per ranking mode. Re-run it after changing synonyms, examples or policies.\n")
    path.write_text(header + yaml.safe_dump(settings.model_dump(), sort_keys=False), encoding="utf-8")
    return path
