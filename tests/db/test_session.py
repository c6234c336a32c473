import re
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.session import create_engine, to_async_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///data/motcua.sqlite3", "sqlite+aiosqlite:///data/motcua.sqlite3"),
        ("sqlite:////var/lib/motcua/db.sqlite3", "sqlite+aiosqlite:////var/lib/motcua/db.sqlite3"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://user@host/db", "postgresql+asyncpg://user@host/db"),
        ("postgres://user:p%40ss@host:5433/db", "postgresql+asyncpg://user:p%40ss@host:5433/db"),
        ("postgresql+asyncpg://user@host/db", "postgresql+asyncpg://user@host/db"),
    ],
)
def test_to_async_url(url: str, expected: str) -> None:
    assert to_async_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://user@host/db", "unsupported database 'mysql'"),
        ("postgresql+psycopg2://user@host/db", "unsupported database 'postgresql+psycopg2'"),
        ("not a url", "not a database URL"),
    ],
)
def test_to_async_url_rejects(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        to_async_url(url)


async def test_create_engine_makes_sqlite_directory(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "motcua.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    async with engine.connect() as connection:
        assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
    await engine.dispose()
    assert path.is_file()
