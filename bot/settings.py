"""Settings, read once from the environment and an optional `.env` file."""

from __future__ import annotations

import logging
from datetime import date
from functools import cached_property

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from domain.clock import Clock, PinnedDayClock, SystemClock

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class Settings(BaseSettings):
    """Every setting the product reads; the names are the environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, case_sensitive=False
    )

    database_url: str = Field(
        "sqlite+aiosqlite:///var/presentis.db",
        description="SQLAlchemy URL; postgresql+asyncpg://… in production.",
    )
    bot_host: str = Field("127.0.0.1", description="Address the bot listens on.")
    bot_port: int = Field(3978, ge=1, le=65535, description="Port the bot listens on.")
    microsoft_app_id: str = Field(
        "", description="Azure Bot app id; empty turns auth off (loopback only)."
    )
    microsoft_app_password: SecretStr = Field(
        SecretStr(""), description="Client secret of the Azure Bot app."
    )
    microsoft_app_tenant_id: str = Field(
        "", description="Vendor tenant of the single-tenant bot."
    )
    presentis_today: date | None = Field(
        None, description="Pins 'today' (YYYY-MM-DD) for demos and tests."
    )
    dietary_wishes_keep_days: int = Field(
        30, ge=0, description="Days after a training's last day that diets are kept."
    )
    log_level: str = Field("INFO", description="Python logging level.")

    @field_validator("database_url")
    @classmethod
    def _a_database_address(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError as wrong:
            raise ValueError("not a database URL (see the README)") from wrong
        return value

    @field_validator("log_level")
    @classmethod
    def _a_log_level(cls, value: str) -> str:
        if value.upper() not in logging.getLevelNamesMapping():
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return value.upper()

    @field_validator("presentis_today", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def auth_enabled(self) -> bool:
        return bool(self.microsoft_app_id)

    @cached_property
    def clock(self) -> Clock:
        if self.presentis_today:
            return PinnedDayClock(self.presentis_today)
        return SystemClock()

    def refusal(self) -> str | None:
        """Why the server must not start with these settings, if it must not."""
        if self.auth_enabled and not self.microsoft_app_password.get_secret_value():
            return "MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is empty"
        if self.auth_enabled and not self.microsoft_app_tenant_id:
            return "MICROSOFT_APP_ID is set but MICROSOFT_APP_TENANT_ID is empty"
        if not self.auth_enabled and self.bot_host not in LOOPBACK:
            return (
                f"bot auth is off (no MICROSOFT_APP_ID), so the bot binds to "
                f"loopback only, not to {self.bot_host}"
            )
        return None
