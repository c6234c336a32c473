"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(f"not a database URL: {url!r}") from exc
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database {parsed.drivername!r} in {parsed.render_as_string()!r}; "
            "use sqlite:///path, postgresql://user@host/db or their +aiosqlite/+asyncpg forms"
        )
    return parsed.set(drivername=driver)


def to_async_url(url: str) -> str:
    """``sqlite://…`` → ``sqlite+aiosqlite://…``, ``postgres(ql)://…`` → ``postgresql+asyncpg://…``.

    Async driver URLs pass through unchanged; anything else raises ``ValueError``.
    """
    return _parse(url).drivername + url[url.index("://") :]


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(database)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on; write-ahead log with NORMAL sync (durable at checkpoints, no fsync per
    chat message) and a busy timeout so concurrent writers wait instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url`` (plain or driver URL); creates a SQLite file's directory."""
    parsed = _parse(url)
    if (path := _sqlite_file(parsed)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: SQL errors and logs never carry the values (names, phone digits)
    engine = create_async_engine(parsed, json_serializer=_dumps, hide_parameters=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)

