"""When the Teams endpoint is mounted, and the Bot Framework token check once credentials are set.

Real tokens are signed here with a throwaway RSA key whose public half the fake connector serves
as OpenID metadata, so botbuilder's own validation runs end to end without leaving 127.0.0.1.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
import requests
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from adapters.serve import build_app
from adapters.teams import ENDPOINT, mount
from adapters.teams.endpoint import ROUTE
from bot.knowledge import KnowledgeBase
from bot.service import PolicyBot
from fake_connector import FakeConnector, LoopThread, Teams
from test_teams_endpoint import DEV, World, start_world

APP_ID = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
SECRET = "s3cret-password-never-logged"
ISSUER = "https://api.botframework.com"
MICROSOFT = ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TYPE", "MICROSOFT_APP_TENANT_ID")


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str) -> pytest.MonkeyPatch:
    """No Microsoft settings from the machine or a .env; a throwaway database."""
    for name in MICROSOFT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", db_url)
    return monkeypatch


def mounted(bot: PolicyBot, dev: bool) -> tuple[web.Application, Any]:
    app = build_app(bot)
    return app, mount(app, bot, dev=dev)


def routes(app: web.Application) -> set[str]:
    return {route.resource.canonical for route in app.router.routes() if route.resource is not None}


@pytest.fixture(scope="module")
def bot(knowledge: KnowledgeBase) -> PolicyBot:
    return PolicyBot(knowledge, None)


def test_without_credentials_or_dev_mode_teams_stays_off_and_says_why(environment: Any,
                                                                        bot: PolicyBot) -> None:
    app, result = mounted(bot, dev=False)
    assert (result.name, result.up) == ("Teams", False)
    assert "MICROSOFT_APP_ID" in result.detail and "--teams-dev" in result.detail
    assert ROUTE not in routes(app) and ENDPOINT not in app


def test_dev_mode_mounts_the_endpoint_unauthenticated(environment: Any, bot: PolicyBot) -> None:
    app, result = mounted(bot, dev=True)
    assert result.up and "development mode" in result.detail
    assert ROUTE in routes(app) and app[ENDPOINT].app_id is None


@pytest.mark.parametrize(("settings", "named"), [
    ({"MICROSOFT_APP_PASSWORD": SECRET}, "MICROSOFT_APP_ID"),
    ({"MICROSOFT_APP_ID": APP_ID}, "MICROSOFT_APP_PASSWORD"),
    ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": SECRET, "MICROSOFT_APP_TYPE": "SingleTenant"},
     "MICROSOFT_APP_TENANT_ID"),
    ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": SECRET, "MICROSOFT_APP_TYPE": "Personal"},
     "MultiTenant, SingleTenant, UserAssignedMSI"),
])
def test_incomplete_credentials_keep_teams_off_and_name_the_setting(
        environment: pytest.MonkeyPatch, bot: PolicyBot, settings: dict[str, str], named: str) -> None:
    for name, value in settings.items():
        environment.setenv(name, value)
    app, result = mounted(bot, dev=True)  # dev mode never papers over broken credentials
    assert not result.up and named in result.detail and SECRET not in result.detail
    assert ROUTE not in routes(app)


@pytest.fixture
def production(environment: pytest.MonkeyPatch, knowledge: KnowledgeBase) -> Iterator[LoopThread]:
    """``mount`` with credentials from the environment, served on 127.0.0.1."""
    environment.setenv("MICROSOFT_APP_ID", APP_ID)
    environment.setenv("MICROSOFT_APP_PASSWORD", SECRET)
    bot = PolicyBot(knowledge, None)
    app, result = mounted(bot, dev=True)  # credentials win over dev mode
    assert result.up and APP_ID in result.detail and SECRET not in result.detail
    server = LoopThread(app).start()
    yield server
    server.stop()


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz",
    "Bearer " + jwt.encode({"iss": "https://evil.example", "aud": APP_ID}, "k" * 32, algorithm="HS256"),
])
def test_with_credentials_a_missing_or_invalid_token_is_refused(
        production: LoopThread, caplog: pytest.LogCaptureFixture, authorization: str | None) -> None:
    connector = "http://127.0.0.1:9"  # nothing listens there: a reply attempt would show
    headers = {"Authorization": authorization} if authorization is not None else {}
    with caplog.at_level(logging.DEBUG):
        response = requests.post(production.url + ROUTE, json=Teams(connector).message("hello"),
                                 headers=headers, timeout=30)
    assert response.status_code == 401
    assert SECRET not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]


# --- tokens checked against keys the fake connector serves --------------------------------------


@pytest.fixture(scope="module")
def connector() -> Iterator[FakeConnector]:
    fake = FakeConnector().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def keys() -> dict[str, rsa.RSAPrivateKey]:
    return {"good": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "other": rsa.generate_private_key(public_exponent=65537, key_size=2048)}


@pytest.fixture
def signed(connector: FakeConnector, keys: dict[str, rsa.RSAPrivateKey], knowledge: KnowledgeBase,
           db_url: str) -> Iterator[World]:
    public = json.loads(RSAAlgorithm.to_jwk(keys["good"].public_key()))
    connector.jwks[:] = [public | {"kid": "key-1", "use": "sig", "endorsements": ["msteams"]}]
    connector.clear()
    checked = SimpleNamespace(
        APP_ID=APP_ID, APP_PASSWORD=SECRET, APP_TYPE="MultiTenant", APP_TENANTID=None,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=ISSUER,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=f"{connector.url}/openid",
        TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=f"{connector.url}/openid",
        TO_CHANNEL_FROM_BOT_LOGIN_URL="https://login.microsoftonline.com/botframework.com",
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE="https://api.botframework.com",
    )
    world = start_world(connector, knowledge, db_url, checked)
    yield world
    world.server.stop()


def token(key: rsa.RSAPrivateKey, service_url: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 10, "exp": now + 600}
    payload |= claims
    kid = payload.pop("kid", "key-1")
    return "Bearer " + jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


def test_a_token_signed_by_the_channel_is_accepted(signed: World, keys: dict[str, rsa.RSAPrivateKey]) -> None:
    typing = signed.teams.base("typing", signed.teams.personal())
    response = signed.post(typing, {"Authorization": token(keys["good"], signed.connector.url)})
    assert response.status_code == 200  # a typing activity: accepted and, quietly, ignored


@pytest.mark.parametrize(("key", "claims"), [
    ("other", {}),  # signed by someone else's key
    ("good", {"kid": "key-unknown"}),
    ("good", {"exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200}),  # expired
    ("good", {"aud": "00000000-0000-0000-0000-000000000000"}),  # for another bot
    ("good", {"serviceurl": "https://smba.trafficmanager.net/evil/"}),  # replies would go elsewhere
    ("good", {"iss": "https://sts.windows.net/evil/"}),
])
def test_a_forged_or_misdirected_token_is_refused(signed: World, keys: dict[str, rsa.RSAPrivateKey],
                                                  key: str, claims: dict[str, Any]) -> None:
    message = signed.teams.message("can I accept a friend request from a parent?")
    response = signed.post(message, {"Authorization": token(keys[key], signed.connector.url, **claims)})
    assert response.status_code == 401
    assert signed.connector.posted == []


def test_dev_configuration_still_checks_a_token_that_is_present(
        connector: FakeConnector, knowledge: KnowledgeBase, db_url: str) -> None:
    world = start_world(connector, knowledge, db_url, DEV)
    try:
        response = world.post(world.teams.message("hello"), {"Authorization": "Bearer not-a-jwt"})
    finally:
        world.server.stop()
    assert response.status_code == 401
