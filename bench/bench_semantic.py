"""Semantic-extra benchmark: the numpy all-MiniLM-L6-v2 encoder on the sample knowledge base.

    uv run --extra semantic python bench/bench_semantic.py [--runs 3] [--questions 400] [--batch-size 32] [--json]

Reports model load time, the time to embed every clause of the five sample schools (best and median
of --runs), and single-question encode latency (p50/p90/p99/max over --questions calls, cycling the
40 staff questions of bench_core.py after a warm-up). Percentiles are nearest-rank.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench_core import QUESTIONS, pct, rss_kb

from bot import semantic
from bot.knowledge import load_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not semantic.available():
        print("the semantic extra is not installed: uv run --extra semantic python bench/bench_semantic.py")
        return 2

    kb = load_knowledge(KNOWLEDGE)
    texts = [c.text for school in kb.schools.values() for c in school.clauses]
    rss_before = rss_kb()
    t0 = time.perf_counter_ns()
    encoder = semantic.Encoder.load()
    load_ms = (time.perf_counter_ns() - t0) / 1e6

    # Real tokens per clause (the tokenizer pads a batch to its longest text, so count the mask).
    tokens = [sum(e.attention_mask) for e in encoder.tokenizer.encode_batch(texts)]
    clause_ms: list[float] = []
    for _ in range(args.runs):
        t0 = time.perf_counter_ns()
        encoder.encode(texts, batch_size=args.batch_size)
        clause_ms.append((time.perf_counter_ns() - t0) / 1e6)

    for q in QUESTIONS:  # warm-up: first calls pay for allocator growth and BLAS thread start-up
        encoder.encode([q])
    latencies: list[float] = []
    for i in range(args.questions):
        question = QUESTIONS[i % len(QUESTIONS)]
        t0 = time.perf_counter_ns()
        encoder.encode([question])
        latencies.append((time.perf_counter_ns() - t0) / 1e6)
    latencies.sort()

    report = {
        "clauses": len(texts),
        "clause_tokens_mean": round(statistics.fmean(tokens), 1),
        "clause_tokens_max": max(tokens),
        "clauses_at_256_tokens": sum(t >= 256 for t in tokens),
        "model_load_ms": round(load_ms, 1),
        "rss_growth_mb": round((rss_kb() - rss_before) / 1024, 1),
        "encode_clauses_best_ms": round(min(clause_ms), 1),
        "encode_clauses_median_ms": round(statistics.median(clause_ms), 1),
        "clauses_per_s": round(len(texts) / (min(clause_ms) / 1000), 1),
        "question_p50_ms": round(pct(latencies, 0.50), 2),
        "question_p90_ms": round(pct(latencies, 0.90), 2),
        "question_p99_ms": round(pct(latencies, 0.99), 2),
        "question_max_ms": round(latencies[-1], 2),
        "question_tokens_mean": round(statistics.fmean(len(encoder.tokenizer.encode(q).ids) for q in QUESTIONS), 1),  # unpadded
        "cpus": os.cpu_count(),
        "batch_size": args.batch_size,
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"model load: {report['model_load_ms']} ms, RSS +{report['rss_growth_mb']} MB")
    print(f"clauses: {report['clauses']} (tokens mean {report['clause_tokens_mean']}, max {report['clause_tokens_max']}, "
          f"{report['clauses_at_256_tokens']} cut at 256)")
    print(f"encode all clauses (batch {args.batch_size}): best {report['encode_clauses_best_ms']} ms, "
          f"median {report['encode_clauses_median_ms']} ms of {args.runs} -> {report['clauses_per_s']} clauses/s")
    print(f"one question ({args.questions} calls, ~{report['question_tokens_mean']} tokens): "
          f"p50 {report['question_p50_ms']} ms, p90 {report['question_p90_ms']} ms, "
          f"p99 {report['question_p99_ms']} ms, max {report['question_max_ms']} ms")
    print(f"cpus: {report['cpus']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
