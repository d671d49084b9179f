"""How the Slack adapter is switched on: ``mount`` from the environment (and why it stays off), the
app manifest and the documented settings agreeing with the code, and a real ``policybot serve``."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from fake_slack import BOT_TOKEN, SIGNING_SECRET, signed

from adapters.serve import Mounted, build_app
from adapters.slack import mount
from adapters.slack.settings import BOT_SCOPES, SlackSettings
from bot.knowledge import KnowledgeBase
from bot.service import PolicyBot

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_NAMES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "SLACK_CLIENT_ID",
             "SLACK_CLIENT_SECRET")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str) -> pytest.MonkeyPatch:
    """Only what each test sets: no SLACK_* from outside, no .env file, the test's own database."""
    monkeypatch.chdir(tmp_path)
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", db_url)
    return monkeypatch


def mounted_with(env: pytest.MonkeyPatch, knowledge: KnowledgeBase, settings: dict[str, str],
                 socket_mode: bool) -> tuple[Mounted, set[str], int]:
    """``mount`` with these variables set: what it says, the app's paths, and its start-up hooks
    beyond those of an app without Slack."""
    for name, value in settings.items():
        env.setenv(name, value)
    bot = PolicyBot(knowledge, None)
    app = build_app(bot)
    mounted = mount(app, bot, socket_mode=socket_mode)
    paths = {route.resource.canonical for route in app.router.routes()}  # type: ignore[union-attr]
    return mounted, paths, len(app.on_startup) - len(build_app(bot).on_startup)


@pytest.mark.parametrize(("settings", "socket_mode", "why"), [
    ({}, False, "no SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) set"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, False, "SLACK_SIGNING_SECRET is not set"),
    ({"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_CLIENT_ID": "1.2"}, False,
     "no SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) set"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}, True,
     "--socket-mode needs SLACK_APP_TOKEN (an app-level xapp- token)"),
    ({"SLACK_BOT_TOKEN": " ", "SLACK_SIGNING_SECRET": ""}, False,
     "no SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) set"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": "slack.com/api"},
     False, "bad setting: Value error, SLACK_API_URL must start with https:// (got 'slack.com/api')"),
])
def test_without_its_settings_slack_stays_off_and_says_why(env: pytest.MonkeyPatch, knowledge: KnowledgeBase,
                                                           settings: dict[str, str], socket_mode: bool,
                                                           why: str) -> None:
    mounted, paths, startup_hooks = mounted_with(env, knowledge, settings, socket_mode)
    assert (mounted.up, mounted.detail, paths, startup_hooks) == (False, why, {"/healthz"}, 0)


@pytest.mark.parametrize(("settings", "socket_mode", "routes", "detail"), [
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}, False, {"/slack/events"},
     "events, commands and buttons at /slack/events; single workspace (SLACK_BOT_TOKEN)"),
    ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "shh", "SLACK_SIGNING_SECRET": SIGNING_SECRET}, False,
     {"/slack/events", "/slack/install", "/slack/oauth_redirect"},
     "events, commands and buttons at /slack/events, installs at /slack/install; "
     "installable by many workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1"}, True, set(),
     "Socket Mode; single workspace (SLACK_BOT_TOKEN)"),
])
def test_with_its_settings_slack_mounts_what_they_allow(env: pytest.MonkeyPatch, knowledge: KnowledgeBase,
                                                        settings: dict[str, str], socket_mode: bool,
                                                        routes: set[str], detail: str) -> None:
    mounted, paths, startup_hooks = mounted_with(env, knowledge, settings, socket_mode)
    assert (mounted.up, mounted.detail, paths) == (True, detail, {"/healthz", *routes})
    assert startup_hooks == (1 if socket_mode else 0)  # Socket Mode connects when the server starts


def test_secrets_never_show_in_settings_or_in_what_serve_prints() -> None:
    settings = SlackSettings(_env_file=None, bot_token="xoxb-SECRET1", signing_secret="SECRET2",  # type: ignore[call-arg]
                             app_token="xapp-SECRET3", client_id="1.2", client_secret="SECRET4")
    shown = repr(settings) + str(settings)
    assert not any(s in shown for s in ("SECRET1", "SECRET2", "SECRET3", "SECRET4"))
    assert settings.authorization_url == "https://slack.com/oauth/v2/authorize"


def test_the_manifest_asks_for_exactly_what_the_adapter_handles() -> None:
    manifest = yaml.safe_load((REPO_ROOT / "deploy/slack/manifest.yml").read_text(encoding="utf-8"))
    assert manifest["display_information"]["name"] == "policybot"
    assert manifest["features"]["bot_user"]["display_name"] == "policybot"
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    events = manifest["settings"]["event_subscriptions"]
    assert set(events["bot_events"]) == {"app_mention", "message.im", "app_uninstalled", "tokens_revoked"}
    [slash] = manifest["features"]["slash_commands"]
    assert slash["command"] == "/policy"
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    urls = {events["request_url"], slash["url"], manifest["settings"]["interactivity"]["request_url"]}
    assert urls == {"https://YOUR-HOST/slack/events"}
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_every_slack_setting_is_documented() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    slack_section = readme.split("\n## Slack\n", 1)[1].split("\n## ", 1)[0]
    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ENV_NAMES:
        assert f"`{name}`" in slack_section, name
        assert f"\n{name}=" in example, name
    assert set(SlackSettings.model_fields) == {n.removeprefix("SLACK_").lower() for n in ENV_NAMES}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_policybot_serve_starts_slack_alone_and_answers_a_signed_challenge(tmp_path: Path, db_url: str,
                                                                           knowledge_dir: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "POLICYBOT_")) and "MICROSOFT" not in k and "TEAMS" not in k}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=f"http://127.0.0.1:{_free_port()}/api/",  # nothing there: must not matter
               POLICYBOT_DATABASE_URL=db_url, POLICYBOT_KNOWLEDGE_DIR=str(knowledge_dir))
    script = Path(sys.executable).parent / "policybot"
    argv = [str(script)] if script.exists() else [sys.executable, "-c", "from adapters.cli.main import main; main()"]
    server = subprocess.Popen([*argv, "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.communicate()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "policybot serve did not listen within 30 s"
                time.sleep(0.1)
        body = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/slack/events", body=body, headers={"Content-Type": "application/json", **signed(body)})
        response = conn.getresponse()
        assert (response.status, json.loads(response.read())) == (200, {"challenge": "c-123"})
        conn.request("POST", "/slack/events", body=body, headers={"Content-Type": "application/json"})
        unsigned = conn.getresponse()
        assert unsigned.status == 401
        unsigned.read()
        conn.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, stderr = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            _, stderr = server.communicate()
    assert "Slack: up (events, commands and buttons at /slack/events; single workspace (SLACK_BOT_TOKEN))" in stderr
    teams = [line for line in stderr.splitlines() if line.startswith("Teams:")]
    assert teams and teams[0].startswith("Teams: off (") and teams[0].endswith(")"), stderr
    assert f"listening on http://127.0.0.1:{port}" in stderr
    assert BOT_TOKEN not in stderr and SIGNING_SECRET not in stderr
    assert "Traceback" not in stderr
    assert "slack_bolt" not in stderr, "Bolt warned at start-up"
