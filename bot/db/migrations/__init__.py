"""Alembic migrations, shipped with the package and run by ``bot.db.migrate``."""
