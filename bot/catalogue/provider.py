"""Where the running product gets its procedures: the database (system of record)."""
from __future__ import annotations

import asyncio

from bot.matching.matcher import Matcher, MatchPolicy
from bot.settings import Settings, get_settings


def policy_from(settings: Settings) -> MatchPolicy:
    return MatchPolicy(
        province=settings.province,
        levels=frozenset(settings.levels),
        prefer_commune=settings.prefer_commune,
    )


async def matcher_from_database(settings: Settings, sessions) -> Matcher:
    """The matcher over the database's active procedures (the index is built in a thread: a
    few seconds of CPU that must not block an event loop)."""
    from bot.db.repositories import ProcedureRepository

    async with sessions() as session:
        procedures = await ProcedureRepository(session).list_active(citizen_only=False)
    return await asyncio.to_thread(Matcher, procedures, policy_from(settings))


def build_matcher(settings: Settings | None = None) -> Matcher:
    """For the command line: migrate, load the shipped catalogue on first run, build the matcher."""
    from bot.db.bootstrap import ensure_database
    from bot.db.session import create_engine, session_factory

    settings = settings or get_settings()

    async def load() -> Matcher:
        engine = create_engine(settings.database_url)
        try:
            await ensure_database(settings, engine=engine)
            return await matcher_from_database(settings, session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(load())
