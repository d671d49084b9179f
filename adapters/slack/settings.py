"""Slack settings from the environment (or ``.env``), and which way of running they allow.

Tokens and secrets are ``SecretStr``: they never appear in a repr, a log line or an error.
"""
from __future__ import annotations

from enum import StrEnum

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The bot scopes the app asks for; deploy/slack/manifest.yml lists exactly these (a test checks).
BOT_SCOPES = ("app_mentions:read", "chat:write", "commands", "im:history", "im:read", "im:write")


class Mode(StrEnum):
    SINGLE = "single workspace (SLACK_BOT_TOKEN)"
    OAUTH = "installable by many workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)"


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SLACK_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = Field(None, description="xoxb-... for a single-school deployment")
    signing_secret: SecretStr | None = Field(None, description="Verifies that HTTP requests come from Slack")
    app_token: SecretStr | None = Field(None, description="xapp-... app-level token, for Socket Mode")
    api_url: str = Field("https://slack.com/api/", description="Web API base URL (GovSlack, or a test fake)")
    client_id: str | None = Field(None, description="OAuth installation flow, for providers of many schools")
    client_secret: SecretStr | None = None

    @field_validator("bot_token", "signing_secret", "app_token", "client_id", "client_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"SLACK_API_URL must start with https:// (got {value!r})")
        # The SDK joins method names onto it: without the trailing slash "api/" would be dropped.
        return value if value.endswith("/") else value + "/"

    @property
    def mode(self) -> Mode | None:
        if self.client_id and self.client_secret:
            return Mode.OAUTH
        return Mode.SINGLE if self.bot_token else None

    @property
    def authorization_url(self) -> str:
        """Where installers are sent: next to the Web API (https://slack.com/oauth/v2/authorize)."""
        return self.api_url.removesuffix("/").rsplit("/", 1)[0] + "/oauth/v2/authorize"

    def missing(self, socket_mode: bool) -> str | None:
        """Why the adapter cannot run with these settings, or None when it can."""
        if self.mode is None:
            return "no SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) set"
        if socket_mode and not self.app_token:
            return "--socket-mode needs SLACK_APP_TOKEN (an app-level xapp- token)"
        if not socket_mode and not self.signing_secret:
            return "SLACK_SIGNING_SECRET is not set"
        return None


def secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
