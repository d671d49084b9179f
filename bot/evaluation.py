"""Scores the bot's answers to a school's own question file (``policybot eval FILE``) with the metrics, names
and rounding of the product owner's ``shared/eval/score.py``, so a school's numbers mean what ours do.
Question rows: ``{"id", "school", "question", "kind", "expect": [phrase], "contacts": [role]}``; answers
as `policybot ask --json --batch` prints them: answered, clauses (best first), contact, logged."""
from __future__ import annotations

import json
from pathlib import Path

from bot.text import normalise

KINDS = ("answerable", "unanswerable", "safeguarding")
# Names ending in _rate_max are ceilings; every other bar is a floor.
BARS: dict[str, float] = {
    "hit_at_3": 0.80, "hit_at_1": 0.60, "abstain_on_unanswerable": 0.75, "false_abstain_rate_max": 0.08,
    "contact_accuracy": 0.85, "safeguarding_contact_accuracy": 1.0, "foreign_school_quote_rate_max": 0.0,
    "verbatim_quote_rate": 0.95,
}


def normalised_documents(sources: dict[str, str]) -> dict[str, str]:
    """Each school's raw policy text, normalised as quotes are compared against it."""
    return {school: normalise(text) for school, text in sources.items()}


def load_questions(path: Path) -> list[dict]:
    """Question rows from a JSON-lines file; a bad row raises ValueError naming FILE:LINE."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
        missing = [key for key in ("school", "question", "kind") if not row.get(key)]
        if missing:
            raise ValueError(f"{path}:{n}: missing {', '.join(missing)}")
        if row["kind"] not in KINDS:
            raise ValueError(f"{path}:{n}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
        rows.append(row)
    return rows


def _rank_of_hit(clauses: list[dict], phrases: list[str], depth: int = 5) -> int | None:
    wanted = [normalise(p) for p in phrases]
    for i, clause in enumerate(clauses[:depth]):
        text = normalise(str(clause.get("text", "")))
        if any(w in text for w in wanted):
            return i + 1
    return None


def score(questions: list[dict], answers: list[dict], sources: dict[str, str]) -> dict:
    """The metrics for answers[i] given to questions[i]; ``sources`` maps school id to its raw policy text."""
    return score_normalised(questions, answers, normalised_documents(sources))


def score_normalised(questions: list[dict], answers: list[dict], sources: dict[str, str]) -> dict:
    """``score`` against documents already passed through ``normalised_documents`` (calibration
    scores the same documents hundreds of times)."""
    if len(answers) != len(questions):
        raise ValueError(f"{len(questions)} questions but {len(answers)} answers: they must pair up in order")

    def foreign(school: str, text: str) -> bool:
        # The first 80 characters are enough to tell which school's document a quote came from.
        probe = normalise(text)[:80]
        if not probe or probe in sources.get(school, ""):
            return False
        return any(probe in src for other, src in sources.items() if other != school)

    m = {"answerable": 0, "hit1": 0, "hit3": 0, "rr": 0.0, "false_abstain": 0,
         "contact_ok": 0, "unanswerable": 0, "abstained": 0, "unans_contact_ok": 0,
         "safeguarding": 0, "safe_hit3": 0, "safe_contact_ok": 0,
         "contrast": 0, "contrast_hit3": 0, "quoted": 0, "verbatim": 0, "foreign": 0,
         "logged_when_abstained": 0}
    misses = []
    for n, (q, a) in enumerate(zip(questions, answers), 1):
        qid = str(q.get("id") or f"question {n}")  # a school's own file need not number its questions
        clauses = a.get("clauses") or []
        answered = bool(a.get("answered"))
        role = (a.get("contact") or {}).get("role")
        contacts = q.get("contacts") or []
        src = sources.get(q["school"], "")
        for c in clauses[:3]:  # staff read the top three, so only those must be word for word
            m["quoted"] += 1
            t = normalise(str(c.get("text", "")))
            m["verbatim"] += bool(t) and t in src
            m["foreign"] += foreign(q["school"], str(c.get("text", "")))
        if not answered:
            m["logged_when_abstained"] += bool(a.get("logged"))
        if q["kind"] == "unanswerable":
            m["unanswerable"] += 1
            m["abstained"] += not answered
            m["unans_contact_ok"] += role in contacts
            if answered:
                misses.append((qid, "answered an unanswerable question"))
            continue
        rank = _rank_of_hit(clauses, q.get("expect") or []) if answered else None
        if q["kind"] == "safeguarding":
            m["safeguarding"] += 1
            m["safe_hit3"] += rank is not None and rank <= 3
            m["safe_contact_ok"] += role in contacts
        m["answerable"] += 1  # safeguarding questions are answerable too
        m["hit1"] += rank == 1
        m["hit3"] += rank is not None and rank <= 3
        m["rr"] += 1 / rank if rank else 0
        m["false_abstain"] += not answered
        m["contact_ok"] += role in contacts
        if qid.startswith("contrast-"):  # the same question put to schools whose policies differ
            m["contrast"] += 1
            m["contrast_hit3"] += rank is not None and rank <= 3
        if rank is None or rank > 3:
            misses.append((qid, "abstained" if not answered else "expected clause not in top 3"))

    def ratio(a: str, b: str) -> float:
        return round(m[a] / m[b], 4) if m[b] else 0.0

    return {
        "questions": len(questions),
        "hit_at_1": ratio("hit1", "answerable"),
        "hit_at_3": ratio("hit3", "answerable"),
        "mrr_at_5": ratio("rr", "answerable"),
        "false_abstain_rate_max": ratio("false_abstain", "answerable"),
        "abstain_on_unanswerable": ratio("abstained", "unanswerable"),
        "contact_accuracy": ratio("contact_ok", "answerable"),
        "unanswerable_contact_accuracy": ratio("unans_contact_ok", "unanswerable"),
        "safeguarding_hit_at_3": ratio("safe_hit3", "safeguarding"),
        "safeguarding_contact_accuracy": ratio("safe_contact_ok", "safeguarding"),
        "contrast_hit_at_3": ratio("contrast_hit3", "contrast"),
        "verbatim_quote_rate": ratio("verbatim", "quoted"),
        "foreign_school_quote_rate_max": ratio("foreign", "quoted"),
        "abstentions_logged": m["logged_when_abstained"],
        "misses": [f"{i}: {why}" for i, why in misses],
    }


def below_bars(result: dict, bars: dict[str, float] = BARS) -> list[str]:
    """Each metric on the wrong side of its bar, as "name=got (bar X)"; empty when all pass."""
    failed = []
    for name, bar in bars.items():
        if name not in result:
            raise ValueError(f"unknown metric {name!r}; known: {', '.join(sorted(result))}")
        got = result[name]
        if (got > bar) if name.endswith("_rate_max") else (got < bar):
            failed.append(f"{name}={got} (bar {bar})")
    return failed
