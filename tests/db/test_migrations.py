from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.db.migrate import alembic_config, upgrade_database
from bot.db.models import Base
from bot.db.session import create_engine

TABLES = {
    "procedures", "procedure_versions", "catalogue_imports", "alembic_version",
    "chat_users", "conversations", "question_log", "processed_updates", "platform_tokens",
    "dossiers", "dossier_changes", "dossier_apologies", "dossier_followers", "dossier_ratings",
    "dossier_events", "lookup_failures", "outbox",
}


async def test_upgrade_from_empty_matches_models(database_url: str) -> None:
    await upgrade_database(database_url)
    await upgrade_database(database_url)  # already at head: a no-op
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        diffs = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    await engine.dispose()
    assert tables == TABLES
    assert diffs == []


async def test_downgrade_to_base_and_back(database_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
        assert await connection.run_sync(lambda sync: inspect(sync).get_table_names()) == [
            "alembic_version"
        ]
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
    await engine.dispose()
