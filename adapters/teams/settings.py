"""The Microsoft settings, read from the environment (or ``.env``) under the names Azure uses."""
from __future__ import annotations

from enum import StrEnum
from types import SimpleNamespace

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class AppType(StrEnum):
    MULTI_TENANT = "MultiTenant"
    SINGLE_TENANT = "SingleTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


class TeamsSettings(BaseSettings):
    """The Azure Bot registration. All empty means "no credentials" (development mode only)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=True)

    MICROSOFT_APP_ID: str = Field("", description="The Azure Bot's Microsoft App ID")
    MICROSOFT_APP_PASSWORD: SecretStr = Field(SecretStr(""), description="Its client secret (not with MSI)")
    MICROSOFT_APP_TYPE: str = Field("MultiTenant", description="MultiTenant, SingleTenant or UserAssignedMSI")
    MICROSOFT_APP_TENANT_ID: str = Field("", description="The bot's home tenant (single tenant or MSI)")

    @property
    def has_credentials(self) -> bool:
        return bool(self.MICROSOFT_APP_ID or self.MICROSOFT_APP_PASSWORD.get_secret_value())

    def problem(self) -> str | None:
        """Why these credentials cannot work, in one sentence naming the setting; None if they can."""
        try:
            app_type = AppType(self.MICROSOFT_APP_TYPE)
        except ValueError:
            choices = ", ".join(t.value for t in AppType)
            return f"MICROSOFT_APP_TYPE is {self.MICROSOFT_APP_TYPE!r}; expected one of {choices}"
        if not self.MICROSOFT_APP_ID:
            return "MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is not"
        if app_type != AppType.USER_ASSIGNED_MSI and not self.MICROSOFT_APP_PASSWORD.get_secret_value():
            return "MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not"
        if app_type != AppType.MULTI_TENANT and not self.MICROSOFT_APP_TENANT_ID:
            return f"MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE is {app_type.value}"
        return None

    def sdk_configuration(self) -> SimpleNamespace:
        """The attribute names botbuilder's ``ConfigurationBotFrameworkAuthentication`` reads."""
        return SimpleNamespace(
            APP_ID=self.MICROSOFT_APP_ID or None,
            APP_PASSWORD=self.MICROSOFT_APP_PASSWORD.get_secret_value() or None,
            APP_TYPE=self.MICROSOFT_APP_TYPE,
            APP_TENANTID=self.MICROSOFT_APP_TENANT_ID or None,
        )
