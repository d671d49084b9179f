"""The Bolt app: a Web API client pointed at ``SLACK_API_URL`` with retries, authorisation by a
single bot token or by the installations of the OAuth flow, and policybot's listeners."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from sqlalchemy import Engine

from adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore
from adapters.slack.listeners import SlackListeners
from adapters.slack.retries import web_api_retries
from adapters.slack.settings import BOT_SCOPES, Mode, SlackSettings, secret


def build_bolt(settings: SlackSettings, listeners: SlackListeners, engine: Engine | None) -> AsyncApp:
    """``engine`` is required with OAuth settings: installations are kept in the database."""
    oauth = settings.mode is Mode.OAUTH
    oauth_settings = None
    if oauth:
        if engine is None:
            raise ValueError("the OAuth installation flow needs the database")
        oauth_settings = AsyncOAuthSettings(
            client_id=settings.client_id,
            client_secret=secret(settings.client_secret),
            scopes=list(BOT_SCOPES),
            user_scopes=[],
            installation_store=SqlInstallationStore(engine, settings.client_id or ""),
            installation_store_bot_only=True,
            state_store=SqlOAuthStateStore(engine),
            authorization_url=settings.authorization_url,
        )
    bolt = AsyncApp(name="policybot", token=None if oauth else secret(settings.bot_token),
                    signing_secret=secret(settings.signing_secret) or "", oauth_settings=oauth_settings)
    # Bolt made the Web API client (for the app, the OAuth flow and a copy per request): point it
    # at the configured Web API, with retries. (Passing a client instead makes Bolt warn at start-up
    # that SLACK_BOT_TOKEN, which it reads from the environment itself, goes unused.)
    bolt.client.base_url = settings.api_url
    bolt.client.retry_handlers = web_api_retries()
    if oauth:
        bolt.enable_token_revocation_listeners()  # a school uninstalling: its tokens are deleted
    listeners.register(bolt)
    return bolt
