"""The one validated settings object, read from the environment and ``.env``.

Construct ``Settings(...)`` directly in tests (pass ``_env_file=None`` to ignore a local
``.env``); use the cached ``get_settings()`` everywhere else.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator
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

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, validated once (raises ``pydantic.ValidationError``)."""
    return Settings()
