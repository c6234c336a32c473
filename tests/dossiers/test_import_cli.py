"""`motcua dossiers import` (all or nothing, row report, idempotent) and `motcua dossiers stats`."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.dossiers import DossierRepository
from bot.db.migrate import upgrade_engine
from bot.db.models import DossierChange, DossierRow
from bot.db.session import create_engine, session_factory
from bot.dossiers.cli import main
from bot.settings import get_settings
from tests.dossiers.exports import sample_rows, write_csv, write_xlsx


async def motcua(argv: list[str]) -> int:
    """``motcua dossiers ...`` as the command line runs it (its own event loop)."""
    return await asyncio.to_thread(main, argv)


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'import.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


async def _count(url: str, model) -> int:
    engine = create_engine(url)
    try:
        await upgrade_engine(engine)
        async with session_factory(engine)() as session:
            return await session.scalar(select(func.count()).select_from(model))
    finally:
        await engine.dispose()


async def test_import_csv_then_xlsx_is_idempotent(database, tmp_path, capsys) -> None:
    rows = sample_rows(300, seed=3)
    assert await motcua(["import", str(write_csv(tmp_path / "a.csv", rows)), "--quiet"]) == 0
    assert "thêm 300 hồ sơ" in capsys.readouterr().out
    assert await motcua(["import", str(write_xlsx(tmp_path / "a.xlsx", rows)), "--quiet"]) == 0
    assert "không đổi 300" in capsys.readouterr().out  # the same data as Excel changes nothing
    assert await _count(database, DossierRow) == 300 and await _count(database, DossierChange) == 300
    rows[5] = dict(rows[5], trang_thai="Đã trả kết quả", buoc_xu_ly="Kết thúc")
    assert await motcua(["import", str(write_csv(tmp_path / "b.csv", rows)), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "cập nhật 1" in out and "không đổi 299" in out
    assert await _count(database, DossierChange) == 301


async def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(database, tmp_path, capsys) -> None:
    rows = sample_rows(20, seed=4)
    rows[2] = dict(rows[2], ngay_hen_tra="31/02/2025")
    rows[7] = dict(rows[7], trang_thai="Đang bay")
    rows[11] = dict(rows[11], ma_ho_so=rows[3]["ma_ho_so"])
    rows[15] = dict(rows[15], so_dien_thoai="0912 34")
    assert await motcua(["import", str(write_csv(tmp_path / "bad.csv", rows)), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Dòng 4, cột Ngày hẹn trả" in err and "31/02/2025" in err  # header is line 1
    assert "Dòng 9, cột Trạng thái" in err and "Đang bay" in err
    assert "Dòng 13, cột Mã hồ sơ" in err and "trùng với dòng 5" in err
    assert "Dòng 17, cột Số điện thoại" in err and "0912 34" not in err  # personal data never echoed
    assert "KHÔNG NHẬP GÌ: 4 lỗi" in err
    assert await _count(database, DossierRow) == 0
    assert await motcua(["import", str(tmp_path / "missing.csv")]) == 1


def _row(code: str, status: str, received: datetime, due: datetime) -> dict:
    return {"ma_ho_so": code, "ma_thu_tuc": "1.001193", "ten_thu_tuc": "Đăng ký khai sinh",
            "ngay_tiep_nhan": received, "ngay_hen_tra": due, "trang_thai": status}


async def test_stats_on_time_late_due_soon_and_satisfaction(database, tmp_path, capsys) -> None:
    now = datetime.now().replace(second=0, microsecond=0)
    ago, ahead = now - timedelta(days=10), now + timedelta(days=30)
    code = "000.00.29.H56-{:%y%m%d}-{:04d}"
    rows = [
        _row(code.format(ago, 1), "Đang xử lý", ago, ahead),
        _row(code.format(ago, 2), "Đang xử lý", ago, ahead),
        _row(code.format(ago, 3), "Đang xử lý", ago, now - timedelta(days=1)),
        _row(code.format(ago, 4), "Đang xử lý", ago, now - timedelta(days=2)),
        _row(code.format(ago, 5), "Mới tiếp nhận", ago, now + timedelta(days=1)),
    ]
    assert await motcua(["import", str(write_csv(tmp_path / "s1.csv", rows)), "--quiet"]) == 0
    for n in (0, 1, 2):  # two finish on time, one after its appointment
        rows[n] = dict(rows[n], trang_thai="Đã trả kết quả")
    assert await motcua(["import", str(write_csv(tmp_path / "s2.csv", rows)), "--quiet"]) == 0
    engine = create_engine(database)
    async with session_factory(engine)() as session, session.begin():
        dossiers = DossierRepository(session, get_settings().zone)
        await dossiers.rate(rows[0]["ma_ho_so"], "telegram", "1", 5)
        await dossiers.rate(rows[1]["ma_ho_so"], "zalo_oa", "2", 4)
    await engine.dispose()
    capsys.readouterr()
    assert await motcua(["stats", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == {"finished": 3, "on_time": 2, "late": 1, "rate": pytest.approx(2 / 3)}
    assert list(report["by_procedure"]) == ["1.001193"]
    assert [d["code"] for d in report["late_open"]] == [rows[3]["ma_ho_so"]]
    assert [d["code"] for d in report["due_soon"]] == [rows[4]["ma_ho_so"]]
    assert report["due_tomorrow_not_ready"] == 1
    assert report["satisfaction"] == {"count": 2, "average": 4.5}
    assert await motcua(["stats"]) == 0
    text = capsys.readouterr().out
    assert "66.7%" in text and "CẢNH BÁO: 1 hồ sơ" in text and "4.50/5" in text
