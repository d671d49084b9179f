"""Slack's OAuth installation flow for providers of many schools: installations kept in the project's
database (``SqlInstallationStore``, ``SqlOAuthStateStore``), then used to answer each workspace."""
from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
from fake_slack import engine  # noqa: F401 - a fixture
from fake_slack import Harness, LoopThread, dm, event_callback, settings_for, slack_rules
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import Engine, select

from adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore, bots
from adapters.slack.settings import BOT_SCOPES
from bot.knowledge import KnowledgeBase
from bot.service import PolicyBot
from bot.store import SqlFeedbackLog, SqlUnansweredLog

FRIEND = "can I accept a friend request from a pupil's mum on facebook?"



def installation(team: str, token: str, installed_at: float, user: str = "UINSTALLER") -> Installation:
    return Installation(app_id="A0POLICY", enterprise_id=None, team_id=team, team_name=team, bot_token=token,
                        bot_id="B1", bot_user_id="UBOT", bot_scopes=list(BOT_SCOPES), user_id=user,
                        installed_at=float(installed_at))


def test_the_store_finds_the_latest_installation_per_workspace_and_forgets_on_delete(engine: Engine) -> None:
    async def scenario() -> None:
        store = SqlInstallationStore(engine, client_id="111.222")
        other_app = SqlInstallationStore(engine, client_id="999.999")
        await store.async_save(installation("THUXLEY", "xoxb-old", 1_700_000_000))
        await store.async_save(installation("THUXLEY", "xoxb-new", 1_700_000_100, user="USECOND"))
        await store.async_save(installation("THAMPSHIRE", "xoxb-hants", 1_700_000_050))

        bot = await store.async_find_bot(enterprise_id=None, team_id="THUXLEY")
        assert bot is not None and (bot.bot_token, bot.team_id, bot.bot_user_id) == ("xoxb-new", "THUXLEY", "UBOT")
        assert bot.installed_at == 1_700_000_100
        first = await store.async_find_installation(enterprise_id=None, team_id="THUXLEY", user_id="UINSTALLER")
        assert first is not None and first.user_id == "UINSTALLER"
        assert first.bot_token == "xoxb-new", "an installation takes the workspace's latest bot token"
        assert (await store.async_find_bot(enterprise_id=None, team_id="THAMPSHIRE")).bot_token == "xoxb-hants"
        assert await other_app.async_find_bot(enterprise_id=None, team_id="THUXLEY") is None
        assert await store.async_find_bot(enterprise_id="E1", team_id="THUXLEY") is None

        await store.async_delete_all(enterprise_id=None, team_id="THUXLEY")
        assert await store.async_find_bot(enterprise_id=None, team_id="THUXLEY") is None
        assert await store.async_find_installation(enterprise_id=None, team_id="THUXLEY") is None
        assert await store.async_find_bot(enterprise_id=None, team_id="THAMPSHIRE") is not None

    asyncio.run(scenario())


def test_an_install_state_is_good_once_and_only_until_it_expires(engine: Engine) -> None:
    async def scenario() -> None:
        states = SqlOAuthStateStore(engine)
        state = await states.async_issue()
        assert len(state) >= 40
        assert await states.async_consume(state) is True
        assert await states.async_consume(state) is False
        assert await states.async_consume("made-up") is False
        expired = SqlOAuthStateStore(engine, expiration_seconds=-1)
        assert await expired.async_consume(await expired.async_issue()) is False

    asyncio.run(scenario())


@pytest.fixture
def provider(knowledge: KnowledgeBase, engine: Engine) -> Iterator[Harness]:
    loop = LoopThread()
    bot = PolicyBot(knowledge, SqlUnansweredLog(engine), feedback=SqlFeedbackLog(engine))
    harness = Harness.start(loop, bot, lambda fake: settings_for(fake, bot_token=None, client_id="111.222",
                                                                 client_secret="shh"), engine=engine)
    yield harness
    harness.stop()
    loop.close()


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack-sdk
def test_a_school_installs_the_app_and_its_workspace_is_then_answered_with_its_own_token(
        provider: Harness, engine: Engine) -> None:
    assert provider.mounted.up and "/slack/install" in provider.mounted.detail
    status, headers, page = provider.request("GET", "/slack/install")
    assert status == 200
    link = re.search(r'<a href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link.startswith(f"{provider.fake.url}/oauth/v2/authorize?")
    query = parse_qs(urlparse(link).query)
    assert query["client_id"] == ["111.222"] and query["scope"] == [",".join(BOT_SCOPES)]
    state = query["state"][0]
    assert f"slack-app-oauth-state={state}" in headers["Set-Cookie"]

    status, _, page = provider.request("GET", f"/slack/oauth_redirect?code=code-THAMPSHIRE&state={state}",
                                       headers={"Cookie": f"slack-app-oauth-state={state}"})
    assert status == 200, page
    [exchange] = [c for c in provider.fake.calls if c.method == "oauth.v2.access"]
    assert exchange.args["code"] == "code-THAMPSHIRE"
    with engine.connect() as conn:
        assert [row.team_id for row in conn.execute(select(bots.c.team_id))] == ["THAMPSHIRE"]

    provider.event(event_callback(dm(FRIEND), team="THAMPSHIRE"))
    [answer] = provider.fake.wait_for("chat.postMessage")
    assert answer.token == "xoxb-installed-thampshire"
    assert slack_rules(answer.args) == [] and "Hampshire" in answer.args["text"]

    # The school uninstalls: Slack says so, and its token is no longer kept.
    assert provider.event(event_callback({"type": "app_uninstalled"}, team="THAMPSHIRE")) == (200, "")
    deadline = time.monotonic() + 5
    while True:
        with engine.connect() as conn:
            if conn.execute(select(bots.c.team_id)).first() is None:
                break
        assert time.monotonic() < deadline, "the uninstalled school's bot token is still stored"
        time.sleep(0.05)


def test_a_forged_state_installs_nothing_and_an_uninstalled_workspace_gets_no_reply(
        provider: Harness, engine: Engine) -> None:
    status, _, _ = provider.request("GET", "/slack/oauth_redirect?code=code-THUXLEY&state=forged",
                                    headers={"Cookie": "slack-app-oauth-state=forged"})
    assert status == 401
    assert not [c for c in provider.fake.calls if c.method == "oauth.v2.access"]
    with engine.connect() as conn:
        assert conn.execute(select(bots.c.team_id)).first() is None

    status, _ = provider.event(event_callback(dm(FRIEND), team="THUXLEY"))
    assert status == 200  # Bolt acknowledges (Slack must not retry) but has no token to reply with
    time.sleep(0.3)
    assert provider.fake.messages() == []


def test_installation_times_are_kept_as_utc(engine: Engine) -> None:
    store = SqlInstallationStore(engine, client_id="111.222")
    asyncio.run(store.async_save(installation("THUXLEY", "xoxb-1", 1_700_000_000)))
    with engine.connect() as conn:
        [installed_at] = conn.execute(select(bots.c.installed_at)).scalars()
    assert installed_at == datetime.fromtimestamp(1_700_000_000, UTC)
