"""Persistence: models, engine and sessions, migrations, repositories."""
