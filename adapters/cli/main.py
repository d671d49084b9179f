"""``policybot``: ask, chat, inspect the knowledge base, evaluate, and look after HR's log."""
from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from adapters.cli.render import answer_json, render_text
from bot.answering import QuestionError, check_question
from bot.bootstrap import build_bot, open_engine, open_log
from bot.config import KnowledgeError
from bot.ingest.readers import read_document
from bot.knowledge import KnowledgeBase, UnknownSchool, load_knowledge
from bot.models import Channel, LogStatus
from bot.retrieval_settings import save_calibration
from bot.service import PolicyBot
from bot.settings import Settings
from bot.store import StoreError, purge_questions

EXPECTED = (KnowledgeError, UnknownSchool, QuestionError, StoreError, ValueError, OSError)


def _settings(knowledge: Path | None) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        raise click.ClickException(f"bad setting: {' '.join(str(exc).split())}") from None
    return settings.model_copy(update={"knowledge_dir": knowledge}) if knowledge else settings


def command(func: Callable[..., None]) -> Callable[..., None]:
    """Every command takes --knowledge and turns expected failures into one clear line."""

    @click.option("--knowledge", type=click.Path(path_type=Path), default=None,
                  help="Knowledge folder (default: $POLICYBOT_KNOWLEDGE_DIR or knowledge/).")
    @wraps(func)
    def run(knowledge: Path | None, **kwargs: Any) -> None:
        try:
            func(_settings(knowledge), **kwargs)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): not an error to report
        except EXPECTED as exc:
            raise click.ClickException(str(exc)) from None

    return run


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what the bot does to stderr.")
def cli(verbose: bool) -> None:
    """policybot: answers staff questions with their own school's policy clauses."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.option("--school", help="School id (see `policybot schools`); required unless --batch.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON lines with school and question; prints one answer per line; never logs.")
@click.argument("question", required=False)
@command
def ask(settings: Settings, school: str | None, as_json: bool, batch: Path | None, question: str | None) -> None:
    """Ask one question, or a file of questions with --batch."""
    if batch:
        bot = build_bot(settings, with_log=False)
        for row in _batch_rows(batch, bot):
            answer = bot.ask(row["school"], row["question"], Channel.CLI, record=False)
            click.echo(json.dumps(answer_json(answer), ensure_ascii=False))
        return
    if not school or question is None:
        raise click.UsageError("give --school ID and a question (or --batch FILE)")
    answer = build_bot(settings).ask(school, question, Channel.CLI)
    click.echo(json.dumps(answer_json(answer), ensure_ascii=False) if as_json else render_text(answer))


def _batch_rows(path: Path, bot: PolicyBot) -> list[dict[str, str]]:
    """Every row, checked before any is answered, so a bad line never leaves half an output."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON: {exc.msg}") from None
        if not isinstance(row, dict) or not isinstance(row.get("school"), str) or not isinstance(row.get("question"), str):
            raise ValueError(f"{path}:{number}: needs string fields 'school' and 'question'")
        try:
            bot.knowledge.school(row["school"])
            check_question(row["question"])
        except (UnknownSchool, QuestionError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from None
        rows.append(row)
    return rows


@cli.command()
@click.option("--school", required=True, help="School id.")
@command
def chat(settings: Settings, school: str) -> None:
    """An interactive console: type questions, blank line or Ctrl-D to leave."""
    bot = build_bot(settings)
    name = bot.knowledge.school(school).config.name
    click.echo(f"Ask about {name}'s policies. Type 'quit' or press Ctrl-D to leave.")
    while True:
        try:
            question = input("\n> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if question.strip().lower() in {"quit", "exit", ""}:
            return
        try:
            click.echo(render_text(bot.ask(school, question, Channel.CLI)))
        except QuestionError as exc:
            click.echo(str(exc))


@cli.command()
@command
def schools(settings: Settings) -> None:
    """Schools, their policies, clause counts and review status."""
    kb = load_knowledge(settings.knowledge_dir)
    today = datetime.now(UTC).date()
    for school in kb.schools.values():
        click.echo(f"{school.id}  {school.config.name}  (Slack {school.config.slack_team_id or '-'}, "
                   f"Teams {school.config.teams_tenant_id or '-'})")
        for policy in school.config.policies:
            count = sum(1 for c in school.clauses if c.policy == policy.title)
            if policy.review is None:
                status = "no review date"
            elif policy.review < today:
                status = f"REVIEW OVERDUE since {policy.review:%-d %b %Y}"
            else:
                status = f"review due {policy.review:%-d %b %Y}"
            adopted = f"adopted {policy.adopted:%-d %b %Y}" if policy.adopted else "adoption date not stated"
            click.echo(f"    {policy.title} ({policy.file}): {count} clauses, {adopted}, {status}")


@cli.command()
@click.option("--school", required=True, help="School id.")
@command
def clauses(settings: Settings, school: str) -> None:
    """How a school's documents were split into clauses, for HR to check."""
    for n, clause in enumerate(load_knowledge(settings.knowledge_dir).school(school).clauses, 1):
        click.echo(f"[{n}] {clause.citation()}")
        if clause.lead_in:
            click.echo(f"    lead-in: {clause.lead_in}")
        click.echo("    " + clause.text.replace("\n", "\n    "))
        click.echo()


@cli.command(name="eval")
@click.argument("questions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@command
def evaluate(settings: Settings, questions_file: Path) -> None:
    """Score the bot on a question file (the format of shared/eval/dev.jsonl)."""
    from bot.evaluation import below_bars, load_questions, score

    questions = load_questions(questions_file)
    bot = build_bot(settings, with_log=False)
    answers = [answer_json(bot.ask(q["school"], q["question"], Channel.CLI, record=False)) for q in questions]
    click.echo(f"ranking by {'words and meaning' if bot.knowledge.encoder else 'words'}", err=True)
    result = score(questions, answers, _sources(settings, bot.knowledge))
    click.echo(json.dumps(result, indent=1))
    failing = below_bars(result)
    click.echo("all quality bars met" if not failing else "below bar: " + ", ".join(failing))


def _sources(settings: Settings, kb: KnowledgeBase) -> dict[str, str]:
    """Each school's documents as text, for the verbatim and foreign-quote checks."""
    return {
        school.id: "\n".join(read_document(settings.knowledge_dir / school.id / p.file) for p in school.config.policies)
        for school in kb.schools.values()
    }


@cli.command()
@click.argument("questions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write/--dry-run", default=True, show_default=True,
              help="Write the threshold to the knowledge folder's retrieval.yaml.")
@command
def calibrate(settings: Settings, questions_file: Path, write: bool) -> None:
    """Calibrate when to abstain, on a question file in the dev.jsonl format."""
    from bot.calibration import calibrate as run_calibration
    from bot.evaluation import load_questions

    kb = load_knowledge(settings.knowledge_dir, settings.semantic, settings.cache_dir)
    questions = load_questions(questions_file)
    result = run_calibration(kb, questions, _sources(settings, kb), datetime.now(UTC).date(), answer_json)
    found = ", ".join(f"{name} = {value:g}" for name, value in result.settings().items())
    click.echo(f"ranking by {'words and meaning' if result.semantic else 'words'}: {found}"
               + ("" if result.met_false_abstain_bar else " (no threshold keeps false abstentions within the bar)"))
    click.echo(json.dumps({k: v for k, v in result.metrics.items() if k != "misses"}, indent=1))
    if write:
        click.echo(f"written to {save_calibration(settings.knowledge_dir, result.settings(), questions_file.name)}")


@cli.command()
@click.argument("questions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--exclude", "measured_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A question file the bot is measured on: questions close to one of its are not learnt.")
@click.option("--write/--dry-run", default=True, show_default=True, help="Write each school's examples.yaml.")
@command
def learn(settings: Settings, questions_file: Path, measured_files: tuple[Path, ...], write: bool) -> None:
    """Learn how staff ask: file each answerable question under the clauses its "expect" quotes."""
    from bot.evaluation import load_questions
    from bot.examples import EXAMPLES_FILE, content_words, near_copy, read_examples, write_examples
    from bot.examples import learn as add_examples

    kb = load_knowledge(settings.knowledge_dir)
    measured = [content_words(q["question"]) for f in measured_files for q in load_questions(f)]
    rows = [q for q in load_questions(questions_file) if q["kind"] != "unanswerable" and q.get("expect")]
    kept = [q for q in rows if not near_copy(content_words(q["question"]), measured)]
    if measured_files:
        click.echo(f"{len(rows) - len(kept)} of {len(rows)} questions left out: too close to a measured one")
    for school_id in sorted({q["school"] for q in kept}):
        school = kb.school(school_id)
        path = settings.knowledge_dir / school_id / EXAMPLES_FILE
        asked = [(q["question"], q["expect"]) for q in kept if q["school"] == school_id]
        entries, added, skipped = add_examples(read_examples(path), asked, school.clauses)
        click.echo(f"{school_id}: {added} example question(s) added under {len(entries)} clause quote(s)")
        for quote, reason in skipped.items():
            click.echo(f"    skipped, {reason}: {quote!r}")
        if write and added:
            write_examples(path, entries)


@cli.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--socket-mode", is_flag=True, help="Slack over Socket Mode (needs SLACK_APP_TOKEN): no public URL.")
@click.option("--teams-dev", is_flag=True,
              help="Teams without Microsoft credentials, for local development only: binds to 127.0.0.1.")
@command
def serve(settings: Settings, host: str, port: int, socket_mode: bool, teams_dev: bool) -> None:
    """Serve the Slack and Teams endpoints whose settings are present."""
    from aiohttp import web

    from adapters.serve import build_app
    from adapters.slack import mount as mount_slack
    from adapters.teams import mount as mount_teams

    bot = build_bot(settings)
    app = build_app(bot)
    mounted = [mount_slack(app, bot, socket_mode=socket_mode), mount_teams(app, bot, dev=teams_dev)]
    for endpoint in mounted:
        click.echo(endpoint.describe(), err=True)
    if not any(m.up for m in mounted):
        raise click.ClickException("no endpoint is configured: set the Slack or Microsoft settings (see README)")
    if teams_dev:
        host = "127.0.0.1"  # unauthenticated activities are accepted: never expose that beyond this machine
    click.echo(f"listening on http://{host}:{port}", err=True)
    web.run_app(app, host=host, port=port, print=None)


@cli.group(name="log")
def log_group() -> None:
    """HR's log of questions the bot could not answer."""


@log_group.command(name="list")
@click.option("--school", help="Only this school.")
@click.option("--status", type=click.Choice([s.value for s in LogStatus]), help="Only open or resolved.")
@click.option("--limit", default=50, show_default=True)
@command
def log_list(settings: Settings, school: str | None, status: str | None, limit: int) -> None:
    """Unanswered questions, newest first."""
    entries = open_log(settings).list(school=school, status=LogStatus(status) if status else None, limit=limit)
    for e in entries:
        best = ", ".join(f"{c.label()} ({c.score:.1f})" for c in e.candidates) or "none"
        click.echo(f"#{e.id} {e.created_at:%Y-%m-%d %H:%M} {e.school} [{e.status.value}] via {e.channel.value}: "
                   f"{e.question}\n    nearest clauses: {best}")
    if not entries:
        click.echo("no unanswered questions")


@log_group.command(name="resolve")
@click.argument("entry_id", type=int)
@command
def log_resolve(settings: Settings, entry_id: int) -> None:
    """Mark an unanswered question as dealt with."""
    if not open_log(settings).set_status(entry_id, LogStatus.RESOLVED):
        raise click.ClickException(f"no unanswered question #{entry_id}")
    click.echo(f"#{entry_id} resolved")


@log_group.command(name="purge")
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True, help="Age in days.")
@click.option("--school", help="Only this school.")
@command
def log_purge(settings: Settings, days: int, school: str | None) -> None:
    """Delete stored questions older than N days: the unanswered log, feedback and kept questions
    (questions can hold personal data: keep only what HR needs)."""
    removed = purge_questions(open_engine(settings), datetime.now(UTC) - timedelta(days=days), school=school)
    click.echo(f"deleted {sum(removed.values())} entries older than {days} days "
               f"({', '.join(f'{name}: {count}' for name, count in removed.items())})")


def main() -> None:
    try:
        cli(prog_name="policybot")
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at nothing instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
