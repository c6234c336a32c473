"""Start-up: migrate the database and bring the shipped catalogue into it."""
from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.catalogue.load import load_catalogue
from bot.db.migrate import upgrade_engine
from bot.db.repositories import CATALOGUE_ACTOR, ImportSummary, ProcedureRepository
from bot.db.session import create_engine, session_factory
from bot.paths import CATALOGUE_FILE
from bot.settings import Settings


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


async def sync_shipped_catalogue(
    repository: ProcedureRepository, path: Path = CATALOGUE_FILE
) -> ImportSummary | None:
    """Load ``path`` when the database is empty or the file changed since the last import.

    Returns None when there was nothing to do. Officials' edits are kept (see
    ``ProcedureRepository.sync_from_catalogue``).
    """
    if not path.is_file():
        raise FileNotFoundError(f"shipped catalogue {path} is missing: run `motcua catalogue build`")
    sha256 = file_sha256(path)
    if await repository.count():
        last = await repository.last_import()
        if last is not None and last.sha256 == sha256:
            return None
    return await repository.sync_from_catalogue(
        load_catalogue(path), actor=CATALOGUE_ACTOR, source=str(path), sha256=sha256
    )


async def ensure_database(
    settings: Settings, engine: AsyncEngine | None = None, catalogue: Path = CATALOGUE_FILE
) -> ImportSummary | None:
    """Migrate to the latest schema, then ``sync_shipped_catalogue`` in one transaction.

    Pass the application's ``engine`` to share it (required for in-memory SQLite);
    otherwise one is made from ``settings.database_url`` and disposed of.
    """
    own_engine = engine is None
    engine = engine or create_engine(settings.database_url)
    try:
        await upgrade_engine(engine)
        async with session_factory(engine)() as session, session.begin():
            return await sync_shipped_catalogue(ProcedureRepository(session), catalogue)
    finally:
        if own_engine:
            await engine.dispose()
