from db.conftest import backend_url, database_url, engine, postgres_url, session  # noqa: F401
