import gzip
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from bot.catalogue.schema import Procedure
from bot.db import cli
from bot.db.bootstrap import ensure_database
from bot.db.repositories import ImportSummary, ProcedureRepository
from bot.db.session import create_engine, session_factory
from bot.settings import Settings, get_settings

Release = Callable[[list[Procedure]], Path]


@pytest.fixture
def release(tmp_path: Path) -> Release:
    """``release(procedures)`` writes them as the shipped catalogue file and returns its path."""
    path = tmp_path / "catalogue.jsonl.gz"

    def write(procedures: list[Procedure]) -> Path:
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.writelines(p.model_dump_json() + "\n" for p in procedures)
        return path

    return write


async def test_ensure_database_loads_once_then_on_new_release(
    database_url: str, release: Release, make_procedure: Callable[..., Procedure]
) -> None:
    settings = Settings(_env_file=None, database_url=database_url)
    path = release([make_procedure("1.000001"), make_procedure("1.000002")])
    assert await ensure_database(settings, catalogue=path) == ImportSummary(added=2)
    assert await ensure_database(settings, catalogue=path) is None
    release([make_procedure("1.000001", name="Tên mới"), make_procedure("1.000003")])
    assert await ensure_database(settings, catalogue=path) == ImportSummary(added=1, updated=1)


async def test_ensure_database_on_shared_in_memory_engine(
    release: Release, make_procedure: Callable[..., Procedure]
) -> None:
    engine = create_engine("sqlite:///:memory:")
    path = release([make_procedure("1.000001")])
    settings = Settings(_env_file=None, database_url="sqlite:///:memory:")
    assert await ensure_database(settings, engine=engine, catalogue=path) == ImportSummary(added=1)
    async with session_factory(engine)() as session:
        assert await ProcedureRepository(session).count() == 1
    await engine.dispose()


async def test_missing_catalogue_is_explained(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(FileNotFoundError, match="run `motcua catalogue build`"):
        await ensure_database(settings, catalogue=tmp_path / "absent.jsonl.gz")


def test_cli_upgrade_and_history(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    release: Release,
    make_procedure: Callable[..., Procedure],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = release([make_procedure("1.000001"), make_procedure("1.000002")])
    monkeypatch.setattr(cli, "ensure_database", partial(ensure_database, catalogue=path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    get_settings.cache_clear()
    try:
        assert cli.main(["upgrade"]) == 0
        assert "thêm 2, cập nhật 0, không đổi 0, xung đột 0" in capsys.readouterr().out
        assert cli.main(["upgrade"]) == 0
        assert "không cần nạp lại" in capsys.readouterr().out
        assert cli.main(["history", "1.000001"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "1.000001 · Thủ tục thử 1.000001"
        assert out[1].startswith("v1  ") and out[1].endswith("import      catalogue-build")
        assert cli.main(["history", "9.999999"]) == 1
        assert "Không tìm thấy thủ tục: 9.999999" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_cli_reports_bad_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SERVED_LEVELS", "xa")
    get_settings.cache_clear()
    try:
        assert cli.main(["history", "1.000001"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "Cấu hình không hợp lệ" in err and "SERVED_LEVELS has unknown level(s) 'xa'" in err
