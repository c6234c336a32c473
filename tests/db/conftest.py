"""Database fixtures: each test runs on SQLite and, when reachable, on PostgreSQL.

PostgreSQL: ``TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
names a database to connect to as an administrator; a fresh ``motcua_test_<random>``
database is created for the test session and dropped at its end.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.catalogue.schema import Procedure
from bot.db.migrate import upgrade_engine
from bot.db.session import create_engine, session_factory

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _dsn(url: URL) -> str:
    """A libpq-style DSN for asyncpg."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """URL of a throw-away database for this test session; skips when the server is down."""
    admin = make_url(POSTGRES_ADMIN_URL)
    admin = admin.set(database=admin.database or "postgres")
    try:
        connection = await asyncpg.connect(_dsn(admin), timeout=2)
    except OSError as exc:  # refused, unreachable, or TimeoutError after 2 s
        pytest.skip(f"PostgreSQL not reachable at {admin.host}:{admin.port or 5432} ({exc})")
    name = f"motcua_test_{uuid.uuid4().hex[:12]}"
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    yield _dsn(admin.set(database=name))
    connection = await asyncpg.connect(_dsn(admin), timeout=2)
    try:
        await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A plain database URL; the SQLite file's directory does not exist yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'motcua.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest_asyncio.fixture
async def database_url(backend_url: str) -> str:
    """``backend_url`` with an empty schema."""
    if backend_url.startswith("postgresql"):
        connection = await asyncpg.connect(backend_url)
        try:
            await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        finally:
            await connection.close()
    return backend_url


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to the latest schema."""
    engine = create_engine(database_url)
    await upgrade_engine(engine)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with session_factory(engine)() as session:
        yield session


def _procedure(code: str = "1.000001", **fields: Any) -> Procedure:
    defaults: dict[str, Any] = {
        "code": code,
        "name": f"Thủ tục thử {code}",
        "field": "Hộ tịch",
        "levels": ["commune"],
        "type": "STANDARD",
        "fees": [{"text": "Miễn lệ phí", "amount_vnd": 0}],
        "sources": ["test"],
    }
    return Procedure.model_validate({**defaults, **fields})


@pytest.fixture
def make_procedure() -> Callable[..., Procedure]:
    """``make_procedure(code, **fields)`` builds a valid procedure."""
    return _procedure
