"""Where the running product gets its procedures: the database (system of record)."""
from __future__ import annotations

import asyncio

from bot.catalogue.schema import Procedure
from bot.matching.matcher import Matcher, MatchPolicy
from bot.settings import Settings, get_settings


def policy_from(settings: Settings) -> MatchPolicy:
    return MatchPolicy(
        province=settings.province,
        levels=frozenset(settings.levels),
        prefer_commune=settings.prefer_commune,
    )


async def load_procedures(settings: Settings) -> list[Procedure]:
    """Migrate the database, load the shipped catalogue on first run, return active procedures."""
    from bot.db.bootstrap import ensure_database
    from bot.db.repositories import ProcedureRepository
    from bot.db.session import create_engine, session_factory

    await ensure_database(settings)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            return await ProcedureRepository(session).list_active(citizen_only=False)
    finally:
        await engine.dispose()


def build_matcher(settings: Settings | None = None) -> Matcher:
    settings = settings or get_settings()
    procedures = asyncio.run(load_procedures(settings))
    return Matcher(procedures, policy_from(settings))
