import pytest
from pydantic import ValidationError

from bot.catalogue.schema import LEVELS
from bot.settings import Settings, get_settings

ENV_KEYS = ("DATABASE_URL", "PROVINCE", "SERVED_LEVELS", "PREFER_COMMUNE", "LOG_LEVEL")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


def test_defaults() -> None:
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///./data/motcua.sqlite3"
    assert settings.province is None
    assert settings.levels == LEVELS
    assert settings.prefer_commune is True
    assert settings.log_level == "INFO"


def test_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/motcua")
    monkeypatch.setenv("PROVINCE", " Hà Nội ")
    monkeypatch.setenv("SERVED_LEVELS", "Commune, province,commune")
    monkeypatch.setenv("PREFER_COMMUNE", "false")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgres://u@h/motcua"
    assert settings.province == "Hà Nội"
    assert settings.levels == ("commune", "province")
    assert settings.prefer_commune is False
    assert settings.log_level == "DEBUG"


def test_reads_env_file(tmp_path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PROVINCE=\nSERVED_LEVELS=ministry\n", encoding="utf-8")
    settings = Settings(_env_file=env_file)
    assert settings.province is None
    assert settings.levels == ("ministry",)


def test_constructed_directly_by_field_name() -> None:
    settings = Settings(_env_file=None, levels=["province"], province="Huế")
    assert settings.levels == ("province",)
    assert settings.province == "Huế"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("commune,xa", "SERVED_LEVELS has unknown level\\(s\\) 'xa'; expected a comma-separated "
                       "subset of commune,province,ministry,other"),
        (" , ", "SERVED_LEVELS is empty"),
    ],
)
def test_bad_served_levels(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    monkeypatch.setenv("SERVED_LEVELS", value)
    with pytest.raises(ValidationError, match=message) as error:
        Settings(_env_file=None)
    assert error.value.errors()[0]["loc"] == ("SERVED_LEVELS",)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("DATABASE_URL", "mysql://u@h/db", "unsupported database 'mysql'"),
        ("PREFER_COMMUNE", "maybe", "valid boolean"),
        ("LOG_LEVEL", "loud", "'DEBUG', 'INFO'"),
    ],
)
def test_bad_values_fail_fast(monkeypatch: pytest.MonkeyPatch, key: str, value: str, message: str) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None)


def test_get_settings_is_cached() -> None:
    get_settings.cache_clear()
    try:
        assert get_settings() is get_settings()
    finally:
        get_settings.cache_clear()
