"""Slack adapter end to end: signed ``app_mention`` events posted to the running server, answers
reaching a fake Slack Web API, all on 127.0.0.1.

    uv run python bench/bench_slack.py                 # plain-text report, ~20 s
    uv run python bench/bench_slack.py --events 500 --json

Each sender posts an event and waits for its answer before the next. For 1 and for 20 concurrent
senders it reports the acknowledgement latency (POST to HTTP 200:
what Slack's 3-second limit applies to), the end-to-end latency (POST to the answer's
``chat.postMessage`` arriving at the fake) and sustained events per second. Nine questions in ten
are answerable, one in ten is an abstention (written to the unanswered log, a fsync'd SQLite file).
The server (policybot's aiohttp app with the Slack adapter, and the fake) runs on one event loop
thread; the senders on another. Percentiles are nearest-rank; times from ``time.perf_counter``.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_slack import Harness, LoopThread, event_callback, mention, settings_for, signed  # noqa: E402

from bot.bootstrap import build_bot  # noqa: E402
from bot.settings import Settings  # noqa: E402

QUESTIONS = [
    "can I accept a friend request from a pupil's mum on facebook?",
    "can I post photos from sports day?",
    "can I use my own phone to text a parent?",
    "can I mention the school on my personal twitter?",
    "what should I do if a pupil sends me a message on instagram?",
    "can I use a pupil's first name in a blog post?",
    "am I allowed to be friends with former students online?",
    "who do I tell if a parent posts something abusive about me?",
    "can I share the school newsletter on my facebook page?",
    "qzxwvkj pfthrrbl zzyzxq gwkrtx?",  # an abstention: logged for HR
]
ACK_LIMIT_MS = 3000


def nearest_rank(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


class Answers:
    """When each answer reached the fake, by the thread it was posted in (one per event)."""

    def __init__(self, harness: Harness) -> None:
        self._calls = harness.fake.calls
        self._seen = 0
        self.at: dict[str, float] = {}

    async def wait(self, ts: str) -> float:
        while ts not in self.at:
            for call in self._calls[self._seen:]:
                self._seen += 1
                if call.method == "chat.postMessage":
                    self.at[call.args["thread_ts"]] = call.at
            await asyncio.sleep(0.0005)
        return self.at[ts]


async def ask(session: aiohttp.ClientSession, port: int, answers: Answers, n: int) -> tuple[float, float, float]:
    """One signed mention; (sent, acknowledged, answered) times. Each sender waits for its answer."""
    ts = f"1700{n:06d}.000100"
    body = json.dumps(event_callback(mention(QUESTIONS[n % len(QUESTIONS)], ts=ts, event_ts=ts)))
    started = time.perf_counter()
    async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body.encode(),
                            headers={"Content-Type": "application/json", **signed(body)}) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"event {n}: HTTP {response.status}")
    acknowledged = time.perf_counter()
    return started, acknowledged, await asyncio.wait_for(answers.wait(ts), 30)


async def run_level(harness: Harness, events: int, senders: int, first: int) -> dict[str, float]:
    numbers = itertools.count(first)
    answers = Answers(harness)
    results: list[tuple[float, float, float]] = []

    async def sender(session: aiohttp.ClientSession) -> None:
        while (n := next(numbers)) < first + events:
            results.append(await ask(session, harness.port, answers, n))

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=senders)) as session:
        began = time.perf_counter()
        await asyncio.gather(*(sender(session) for _ in range(senders)))
    finished = max(answered for _, _, answered in results)
    acks = [(done - start) * 1000 for start, done, _ in results]
    ends = [(answered - start) * 1000 for start, _, answered in results]
    return {
        "senders": senders, "events": events,
        "ack_p50_ms": nearest_rank(acks, 50), "ack_p99_ms": nearest_rank(acks, 99), "ack_max_ms": max(acks),
        "e2e_p50_ms": nearest_rank(ends, 50), "e2e_p99_ms": nearest_rank(ends, 99), "e2e_mean_ms": statistics.mean(ends),
        "events_per_s": events / (finished - began),
        "ack_p99_headroom_ms": ACK_LIMIT_MS - nearest_rank(acks, 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300, help="events per concurrency level")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        bot = build_bot(Settings(database_url=f"sqlite:///{tmp}/bench.db", knowledge_dir=REPO / "knowledge"))
        loop = LoopThread()
        harness = Harness.start(loop, bot, settings_for)
        try:
            asyncio.run(run_level(harness, 20, 4, 0))  # warm-up: auth.test, first connections
            levels = [asyncio.run(run_level(harness, args.events, senders, 20 + args.events * level))
                      for level, senders in enumerate((1, 20))]
        finally:
            harness.stop()
            loop.close()

    if args.json:
        print(json.dumps({"levels": levels}, indent=1))
        return
    for r in levels:
        print(f"{r['senders']:>2} sender(s), {r['events']} events: "
              f"ack p50 {r['ack_p50_ms']:.1f} ms, p99 {r['ack_p99_ms']:.1f} ms (max {r['ack_max_ms']:.1f}; "
              f"{r['ack_p99_headroom_ms']:.0f} ms under Slack's 3 s at p99) | "
              f"end to end p50 {r['e2e_p50_ms']:.1f} ms, p99 {r['e2e_p99_ms']:.1f} ms | "
              f"{r['events_per_s']:.0f} events/s")


if __name__ == "__main__":
    main()
