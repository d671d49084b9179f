"""Core benchmark: knowledge loading, per-question latency, and a generated 5,000-clause school.

    uv run python bench/bench_core.py [--questions N] [--seed S] [--clauses 5000] [--json]
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import random
import re
import statistics
import time
import tracemalloc
from datetime import date
from pathlib import Path

from bot.answering import answer_question
from bot.index import ClauseIndex
from bot.knowledge import KnowledgeBase, School, load_knowledge
from bot.models import Clause

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
TODAY = date(2025, 3, 1)
LOAD_BAR_MS, P99_BAR_MS = 1000.0, 5.0
QUESTIONS = [  # written for this benchmark; phone-typed on purpose
    "can i accept a friend request from a parent on facebook", "is it ok to follow students on insta",
    "a year 11 sent me a friend request what do i do", "can i post photos of the kids from sports day",
    "am i allowed to put class pics on my own twitter", "who do i tell if a pupil messages me on snapchat",
    "can i use my phone in the classroom", "is it ok to text parents from my personal mobile",
    "what happens if i breach the social media policy", "can i talk about work on my own facebook page",
    "im worried about a child who posted something about self harm", "a student told me someone is sending them nudes",
    "who is the dsl", "can i be friends with ex pupils online", "can i join the parents whatsapp group",
    "how do i report cyberbullying of a member of staff", "parent posted nasty comments about me online what can i do",
    "can i say which school i work at on linkedin", "do i need permission to set up a class blog",
    "are we allowed to use tiktok with students", "can i take pictures on my own phone on a school trip",
    "what should i do if i see a colleague post something inappropriate", "can i livestream the school play",
    "is it ok to message a pupil on teams after school", "how many days annual leave do i get",
    "how do i book a day off for a wedding", "whats the sick pay policy", "can i claim mileage for a trip",
    "when is the next inset day", "how do i apply for maternity leave", "child disclosed abuse to me in lunch what now",
    "kid seems scared of going home and has bruises", "can i use ai chatbots to write reports",
    "does the policy cover volunteers and supply staff", "should my privacy settings be on private",
    "can i share school news posts on my account", "a pupil is impersonating a teacher on instagram",
    "can i block a parent who keeps messaging me", "whats the rule on school email on personal devices",
    "can i comment on local news stories about the school",
]


def ms(ns: int | float) -> float:
    return ns / 1e6


def pct(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    import resource  # fallback: peak, not current
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed_ms(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter_ns()
    result = fn()
    return ms(time.perf_counter_ns() - start), result


def latency(kb: KnowledgeBase, schools: list[School], n: int) -> dict[str, float]:
    pairs = [(q, s) for q in QUESTIONS for s in schools]  # round-robin over schools
    for q, s in pairs:  # warm-up
        answer_question(kb, s, q, TODAY)
    samples: list[float] = []
    by_kind: dict[bool, list[float]] = {True: [], False: []}  # Answer.safeguarding -> latencies
    answered = 0
    for i in range(n):
        q, s = pairs[i % len(pairs)]
        start = time.perf_counter_ns()
        answer = answer_question(kb, s, q, TODAY)
        samples.append(ms(time.perf_counter_ns() - start))
        by_kind[answer.safeguarding].append(samples[-1])
        answered += answer.answered
    samples.sort()
    concern, other = sorted(by_kind[True]) or [math.nan], sorted(by_kind[False]) or [math.nan]
    return {"p50_ms": pct(samples, .5), "p90_ms": pct(samples, .9), "p99_ms": pct(samples, .99),
            "max_ms": samples[-1], "mean_ms": statistics.fmean(samples), "answered_share": answered / n,
            "concern_share": len(by_kind[True]) / n, "concern_p50_ms": pct(concern, .5),
            "concern_p99_ms": pct(concern, .99), "other_p50_ms": pct(other, .5), "other_p99_ms": pct(other, .99)}


def generate_clauses(kb: KnowledgeBase, count: int, rng: random.Random) -> list[Clause]:
    real = [c for s in kb.schools.values() for c in s.clauses]
    sentences = [s.strip() for c in real for s in re.split(r"(?<=[.;:!?])\s+|\n+", c.text) if len(s.split()) > 2]
    headings = sorted({c.heading for c in real if c.heading})
    lead_ins = sorted({c.lead_in for c in real if c.lead_in})
    policy = next(iter(kb.schools.values())).config.policies[0]
    clauses, heading = [], ""
    for i in range(count):
        section, sub = divmod(i, 12)
        if sub == 0:
            heading = rng.choice(headings)
        target, parts = rng.randint(10, 80), []
        while sum(len(p.split()) for p in parts) < target:
            parts.append(rng.choice(sentences))
        text = " ".join(" ".join(parts).split()[:target])
        clauses.append(Clause(id=f"generated/{policy.file}#{i + 1}", school="generated", policy=policy.title,
                              ref=f"{section + 1}.{sub + 1}", heading=heading,
                              lead_in=rng.choice(lead_ins) if rng.random() < 0.2 else None, text=text))
    return clauses


def run(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    loads = sorted(timed_ms(lambda: load_knowledge(KNOWLEDGE))[0] for _ in range(5))
    kb = load_knowledge(KNOWLEDGE)
    weights = (kb.settings.context_weight, kb.settings.sentence_weight)
    index_only = sorted(sum(timed_ms(lambda s=s: ClauseIndex(s.clauses, *weights))[0] for s in kb.schools.values())
                        for _ in range(5))
    report: dict[str, dict[str, float]] = {"load": {
        "best_ms": loads[0], "median_ms": statistics.median(loads), "index_only_best_ms": index_only[0],
        "index_only_median_ms": statistics.median(index_only),
        "clauses": sum(len(s.clauses) for s in kb.schools.values())}}
    report["samples"] = latency(kb, list(kb.schools.values()), args.questions)

    clauses = generate_clauses(kb, args.clauses, random.Random(args.seed))
    gc.collect()
    rss_before = rss_kb()
    build_ms, index = timed_ms(lambda: ClauseIndex(clauses, *weights))
    rss_after = rss_kb()
    config = next(iter(kb.schools.values())).config.model_copy(update={"id": "generated"})
    school = School(config, clauses, index, {p.title: p for p in config.policies})  # type: ignore[arg-type]
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    traced_index = ClauseIndex(clauses, *weights)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced_index
    report["generated"] = {"clauses": len(clauses), "words_mean": statistics.fmean(len(c.text.split()) for c in clauses),
                           "build_ms": build_ms, "traced_peak_bytes": peak - before,
                           "traced_retained_bytes": current - before, "rss_before_kb": rss_before,
                           "rss_after_kb": rss_after, "rss_delta_kb": rss_after - rss_before,
                           **latency(kb, [school], args.questions)}
    return report


SPLIT = ("   split        safeguarding-concern answers ({concern_share:.0%} of calls): p50 {concern_p50_ms:.3f}  "
         "p99 {concern_p99_ms:.3f} ms; other: p50 {other_p50_ms:.3f}  p99 {other_p99_ms:.3f} ms")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000, help="timed calls per latency run")
    parser.add_argument("--seed", type=int, default=7, help="seed for the generated school")
    parser.add_argument("--clauses", type=int, default=5000, help="clauses in the generated school")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args()
    started = time.perf_counter_ns()
    r = run(args)
    r["run"] = {"seconds": ms(time.perf_counter_ns() - started) / 1000, "questions": args.questions,
                "seed": args.seed, "distinct_questions": len(QUESTIONS)}
    load, samples, gen = r["load"], r["samples"], r["generated"]
    r["bars"] = {"load_ok": load["median_ms"] <= LOAD_BAR_MS, "generated_p99_ok": gen["p99_ms"] <= P99_BAR_MS}
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print(f"1. load_knowledge, 5 sample schools ({load['clauses']:.0f} clauses), 5 runs")
    print(f"   end to end   best {load['best_ms']:8.2f} ms   median {load['median_ms']:8.2f} ms   "
          f"bar <= {LOAD_BAR_MS:.0f} ms: {verdict(bool(r['bars']['load_ok']))}")
    print(f"   index only   best {load['index_only_best_ms']:8.2f} ms   median {load['index_only_median_ms']:8.2f} ms")
    print(f"2. answer_question, samples: {args.questions} timed calls, {len(QUESTIONS)} questions x 5 schools")
    print("   p50 {p50_ms:.3f}  p90 {p90_ms:.3f}  p99 {p99_ms:.3f}  max {max_ms:.3f} ms   "
          "(answered {answered_share:.0%})".format(**samples))
    print(SPLIT.format(**samples))
    print(f"3. generated school: {gen['clauses']:.0f} clauses, mean {gen['words_mean']:.1f} words, seed {args.seed}")
    print(f"   index build  {gen['build_ms']:.1f} ms")
    print(f"   memory       tracemalloc peak {gen['traced_peak_bytes'] / 2**20:.1f} MiB, "
          f"retained {gen['traced_retained_bytes'] / 2**20:.1f} MiB; RSS {gen['rss_before_kb'] / 1024:.1f} -> "
          f"{gen['rss_after_kb'] / 1024:.1f} MiB (+{gen['rss_delta_kb'] / 1024:.1f})")
    print("   latency      p50 {p50_ms:.3f}  p90 {p90_ms:.3f}  p99 {p99_ms:.3f}  max {max_ms:.3f} ms   "
          "(answered {answered_share:.0%})".format(**gen)
          + f"   bar p99 <= {P99_BAR_MS:.0f} ms: {verdict(bool(r['bars']['generated_p99_ok']))}")
    print(SPLIT.format(**gen))
    print(f"total run time {r['run']['seconds']:.1f} s")


if __name__ == "__main__":
    main()
