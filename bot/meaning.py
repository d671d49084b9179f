"""Optional re-ranking by meaning: clause embeddings from the `semantic` extra, cached on disk.

Encoding a school's clauses takes seconds, so the vectors are kept in a cache file named by a
hash of the exact texts: any edit to a policy (or its heading, or lead-in) gives a new file.
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

from bot.models import Clause
from bot.semantic import Encoder, available

log = logging.getLogger(__name__)


def clause_text(clause: Clause) -> str:
    """What is embedded: the heading and lead-in carry meaning a list item alone does not."""
    return " ".join(part for part in (clause.heading, clause.lead_in, clause.text) if part)


def clause_vectors(encoder: Encoder, clauses: list[Clause], cache_dir: Path | None) -> np.ndarray:
    texts = [clause_text(c) for c in clauses]
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:24]
    path = cache_dir / f"clauses-{digest}.npy" if cache_dir else None
    if path and path.is_file():
        vectors = np.load(path)
        if vectors.shape == (len(clauses), encoder.dim):
            return vectors
    vectors = encoder.encode(texts)
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                np.save(handle, vectors)
            partial.replace(path)  # readers never see half a file
        except OSError as exc:
            log.warning("could not cache clause embeddings in %s: %s", cache_dir, exc)
    return vectors


def load_encoder(enabled: bool) -> Encoder | None:
    """The encoder when re-ranking by meaning is wanted and installed, else None (words only)."""
    if not enabled or not available():
        return None
    return Encoder.load()
