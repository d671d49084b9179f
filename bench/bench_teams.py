"""Teams benchmark: message activities posted to a running ``policybot serve --teams-dev``, replies
caught by a fake Bot Connector; end-to-end latency and sustained throughput at 1 and 20 senders.

    uv run python bench/bench_teams.py [--messages 200] [--senders 1 20] [--max-seconds 60] [--json]

Loopback only. The server is a real subprocess (its own interpreter, a throwaway SQLite file);
the fake connector and the senders share this process. Latency runs from just before a sender
posts an activity until its reply arrives at the connector; throughput is replies per second of
wall time while every sender keeps one activity in flight.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))
from bench_core import QUESTIONS  # noqa: E402  (staff questions written for the benchmarks)
from fake_connector import FakeConnector, Teams, check_card  # noqa: E402

WARM_UP = 20


def pct(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def start_server(port: int, folder: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    env.update(POLICYBOT_DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
               POLICYBOT_KNOWLEDGE_DIR=str(REPO / "knowledge"))
    command = [str(Path(sys.executable).with_name("policybot")), "serve", "--teams-dev",
               "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


async def wait_until_listening(url: str, server: subprocess.Popen[str], limit: float = 30) -> float:
    started = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        while time.perf_counter() - started < limit:
            if server.poll() is not None:
                raise SystemExit(f"the server exited: {server.communicate()[1]}")
            try:
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    raise SystemExit(f"the server was not listening after {limit:.0f} s")


async def run_level(url: str, teams: Teams, connector: FakeConnector, senders: int, count: int,
                    max_seconds: float) -> dict[str, float]:
    """``count`` activities from ``senders`` concurrent senders, each waiting for its HTTP answer."""
    conversations = [teams.personal(f"a:1bench-{senders}-{n}") for n in range(senders)]
    questions = itertools.cycle(QUESTIONS)
    sent_at: dict[str, float] = {}
    failures = 0
    async with aiohttp.ClientSession() as http:
        for conversation in conversations:  # installed first: the greeting is not what we time
            async with http.post(f"{url}/api/messages", json=teams.installed(conversation)) as response:
                assert response.status == 200
        connector.clear()
        remaining = itertools.count()
        deadline = time.perf_counter() + max_seconds

        async def sender(conversation: dict[str, Any]) -> None:
            nonlocal failures
            while next(remaining) < count and time.perf_counter() < deadline:
                activity = teams.message(next(questions), conversation)
                sent_at[activity["id"]] = time.perf_counter()
                async with http.post(f"{url}/api/messages", json=activity) as response:
                    failures += response.status != 200

        started = time.perf_counter()
        await asyncio.gather(*(sender(c) for c in conversations))
        connector.wait_for(len(sent_at), timeout=30)
        wall = time.perf_counter() - started

    replies = {p.reply_to_id: p for p in connector.delivered()}
    latencies = sorted((replies[i].received_at - t) * 1000 for i, t in sent_at.items() if i in replies)
    missing = len(sent_at) - len(latencies)
    invalid = [p for r in replies.values() for c in r.cards for p in check_card(c)]
    return {"senders": senders, "activities": len(sent_at), "wall_s": wall,
            "per_second": len(latencies) / wall,
            "p50_ms": pct(latencies, 0.50), "p99_ms": pct(latencies, 0.99), "max_ms": latencies[-1],
            "http_failures": failures, "missing_replies": missing, "invalid_cards": len(invalid)}


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    connector = FakeConnector(check_cards=False).start()  # checked after timing, not during
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(port, Path(folder))
        try:
            ready_s = await wait_until_listening(url, server)
            teams = Teams(connector.url)
            await run_level(url, teams, connector, 1, WARM_UP, args.max_seconds)  # warm-up, not reported
            levels = [await run_level(url, teams, connector, n, args.messages * max(1, min(n, 3)),
                                      args.max_seconds) for n in args.senders]
        finally:
            server.terminate()
            server.communicate(timeout=15)
            connector.stop()
    return {"listening_after_s": ready_s, "levels": levels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="activities at 1 sender (x3 concurrent)")
    parser.add_argument("--senders", type=int, nargs="+", default=[1, 20], help="concurrency levels")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per level")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args()
    result = asyncio.run(bench(args))
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"policybot serve --teams-dev listening after {result['listening_after_s']:.2f} s")
    columns = ("senders", "activities", "wall s", "per s", "p50 ms", "p99 ms", "max ms")
    print(" ".join(f"{c:>{max(7, len(c))}}" for c in columns) + "  failures")
    for r in result["levels"]:
        print(f"{r['senders']:>7} {r['activities']:>10} {r['wall_s']:>7.2f} {r['per_second']:>7.1f} "
              f"{r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['max_ms']:>7.1f}  "
              f"http {r['http_failures']}, missing {r['missing_replies']}, "
              f"invalid cards {r['invalid_cards']}")


if __name__ == "__main__":
    main()
