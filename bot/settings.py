"""The one validated settings object, read from the environment and ``.env``.

Construct ``Settings(...)`` directly in tests (pass ``_env_file=None`` to ignore a local
``.env``); use the cached ``get_settings()`` everywhere else.
"""
from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.catalogue.schema import LEVELS, Level
from bot.db.session import to_async_url

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Flat settings; each field is one environment variable (see ``.env.example``)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", validate_by_name=True
    )

    database_url: str = "sqlite:///./data/motcua.sqlite3"
    province: str | None = None
    levels: Annotated[tuple[Level, ...], NoDecode] = Field(
        default=LEVELS, validation_alias="SERVED_LEVELS"
    )
    prefer_commune: bool = True
    log_level: LogLevel = "INFO"

    # chat service
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_base_url: str | None = None  # when set, webhooks are registered at start-up
    question_log_retention_days: int = Field(default=180, ge=1)
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    zalo_oa_app_id: str | None = None
    zalo_oa_secret_key: SecretStr | None = None
    zalo_oa_access_token: SecretStr | None = None
    zalo_oa_refresh_token: SecretStr | None = None
    zalo_app_secret: SecretStr | None = None
    zalo_oa_api_base_url: str = "https://openapi.zalo.me"
    zalo_oauth_base_url: str = "https://oauth.zaloapp.com"
    zalo_bot_token: SecretStr | None = None
    zalo_bot_webhook_secret: SecretStr | None = None
    zalo_bot_api_base_url: str = "https://bot-api.zaloplatforms.com"

    # dossiers
    timezone: str = "Asia/Ho_Chi_Minh"  # of the dates in one-stop exports and in replies
    dossier_api_tokens: Annotated[tuple[tuple[str, SecretStr], ...], NoDecode] = ()

    @field_validator(
        "public_base_url", "telegram_bot_token", "telegram_webhook_secret", "zalo_oa_app_id",
        "zalo_oa_secret_key", "zalo_oa_access_token", "zalo_oa_refresh_token", "zalo_app_secret",
        "zalo_bot_token", "zalo_bot_webhook_secret", mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value.strip() or None if isinstance(value, str) else value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @model_validator(mode="after")
    def _complete_channels(self) -> "Settings":
        if self.telegram_bot_token and self.public_base_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_BASE_URL registers the Telegram webhook")
        if self.zalo_oa_access_token and not (self.zalo_oa_app_id and self.zalo_oa_secret_key):
            raise ValueError("Zalo OA needs ZALO_OA_APP_ID and ZALO_OA_SECRET_KEY to verify its webhooks")
        if self.zalo_bot_token and not self.zalo_bot_webhook_secret:
            raise ValueError("ZALO_BOT_WEBHOOK_SECRET is required when ZALO_BOT_TOKEN is set")
        return self

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def zalo_oa_enabled(self) -> bool:
        return self.zalo_oa_access_token is not None

    @property
    def zalo_bot_enabled(self) -> bool:
        return self.zalo_bot_token is not None

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        to_async_url(value)  # raises ValueError with the reason
        return value

    @field_validator("province", mode="before")
    @classmethod
    def _blank_province_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("levels", mode="before")
    @classmethod
    def _parse_levels(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        if not isinstance(value, (list, tuple)):
            return value
        expected = f"expected a comma-separated subset of {','.join(LEVELS)}"
        if not value:
            raise ValueError(f"SERVED_LEVELS is empty; {expected}")
        unknown = [level for level in value if level not in LEVELS]
        if unknown:
            names = ", ".join(map(repr, unknown))
            raise ValueError(f"SERVED_LEVELS has unknown level(s) {names}; {expected}")
        return tuple(dict.fromkeys(value))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIMEZONE {value!r} is not a known time zone (e.g. Asia/Ho_Chi_Minh)") from exc
        return value

    @field_validator("dossier_api_tokens", mode="before")
    @classmethod
    def _parse_api_tokens(cls, value: object) -> object:
        """``name=token,name2=token2``: each one-stop system gets its own, removed to revoke it."""
        if not isinstance(value, str):
            return value
        tokens = []
        for n, part in enumerate(p.strip() for p in value.split(",")):
            if not part:
                continue
            name, sep, token = part.partition("=")
            name, token = (name.strip(), token.strip()) if sep else (f"token{n + 1}", name.strip())
            if len(token) < 16:
                raise ValueError(f"DOSSIER_API_TOKENS: the token named {name!r} is shorter than 16 characters")
            tokens.append((name, SecretStr(token)))
        return tuple(tokens)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, validated once (raises ``pydantic.ValidationError``)."""
    return Settings()
