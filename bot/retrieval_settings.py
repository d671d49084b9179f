"""Retrieval settings (``knowledge/retrieval.yaml``), written by ``policybot calibrate``."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.config import KnowledgeError

SETTINGS_FILE = "retrieval.yaml"


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    context_weight: float = Field(0.4, ge=0, description="Weight of the heading / lead-in field")
    min_coverage: float = Field(
        0.5, ge=0, le=1, description="Share of the question's ideas the best clause must account for"
    )
    unknown_weight: float = Field(
        1.5, ge=1, description="Weight of a question word the policies never use, relative to their rarest word"
    )
    relative_score: float = Field(
        0.6, ge=0, le=1, description="Further clauses are quoted only if they score this share of the best"
    )
    max_clauses: int = Field(3, ge=1, le=5)


def load_retrieval_settings(folder: Path) -> RetrievalSettings:
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return RetrievalSettings()
    try:
        return RetrievalSettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeError(f"{path}: {' '.join(str(exc).split())}") from None


def save_calibration(folder: Path, min_coverage: float, unknown_weight: float, calibrated_on: str) -> Path:
    """Record the calibrated abstention settings, keeping the others as they are."""
    path = folder / SETTINGS_FILE
    settings = load_retrieval_settings(folder).model_copy(
        update={"min_coverage": round(min_coverage, 4), "unknown_weight": unknown_weight}
    )
    header = (f"# Retrieval settings. min_coverage and unknown_weight were calibrated on {calibrated_on} with\n"
              f"#   policybot calibrate {calibrated_on}\n# Re-run that command after changing synonyms or policies.\n")
    path.write_text(header + yaml.safe_dump(settings.model_dump(), sort_keys=False), encoding="utf-8")
    return path
