"""``motcua dossiers import FILE``, ``motcua dossiers stats``, ``motcua dossiers send``."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from bot.db.bootstrap import ensure_database
from bot.db.migrate import upgrade_engine
from bot.db.models import ProcedureRow, utcnow
from bot.db.session import create_engine, session_factory
from bot.dossiers.ledger import queue_late_notices, record
from bot.dossiers.sheet import read_dossier_file
from bot.dossiers.stats import build_report, format_report
from bot.settings import Settings, get_settings


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"Không thấy tệp {path}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    with tqdm(desc="Đọc tệp", unit=" dòng", disable=args.quiet or None, file=sys.stderr) as bar:
        report = read_dossier_file(path, progress=bar.update)
    for warning in report.warnings:
        print(f"Lưu ý: {warning}", file=sys.stderr)
    if not report.ok:
        for error in report.errors:
            print(str(error), file=sys.stderr)
        print(f"KHÔNG NHẬP GÌ: {len(report.errors)} lỗi trong {path.name}. Sửa các dòng trên rồi nhập lại cả tệp.",
              file=sys.stderr)
        return 1
    engine = create_engine(settings.database_url)
    try:
        await ensure_database(settings, engine=engine)
        with tqdm(total=len(report.rows), desc="Ghi vào CSDL", unit=" dòng", disable=args.quiet or None,
                  file=sys.stderr) as bar:
            async with session_factory(engine)() as session, session.begin():
                applied = await record(session, report.rows, f"import:{path.name}"[:64], settings.zone,
                                       progress=bar.update)
    finally:
        await engine.dispose()
    created = sum(change.created for change in applied)
    elapsed = time.perf_counter() - started
    print(f"Đã nhập {path.name}: {len(report.rows)} dòng — thêm {created} hồ sơ, cập nhật {len(applied) - created}, "
          f"không đổi {len(report.rows) - len(applied)} ({elapsed:.1f} giây, {len(report.rows) / elapsed:,.0f} dòng/giây).")
    return 0


def _day(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (dùng dd/mm/yyyy hoặc yyyy-mm-dd)")


async def _stats(settings: Settings, args: argparse.Namespace) -> int:
    today = utcnow().astimezone(settings.zone).date()
    end = args.to or today
    start = args.since or end.replace(day=1)
    engine = create_engine(settings.database_url)
    try:
        await ensure_database(settings, engine=engine)
        async with session_factory(engine)() as session:
            report = await build_report(session, start, end, settings.zone, utcnow())
            codes = list(report.by_procedure)
            names = dict((await session.execute(select(ProcedureRow.code, ProcedureRow.name)
                                                .where(ProcedureRow.code.in_(codes)))).all()) if codes else {}
    finally:
        await engine.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, names))
    return 0


async def _send(settings: Settings, args: argparse.Namespace) -> int:
    """Send the outbox from this process (the server does it too; this is for cron and tests)."""
    from bot.app import platform_channels
    from bot.dossiers.outbox import OutboxSender

    engine = create_engine(settings.database_url)
    channels = []
    try:
        await upgrade_engine(engine)  # the catalogue is not needed to send
        sessions = session_factory(engine)
        if args.late:
            async with sessions() as session, session.begin():
                await queue_late_notices(session, settings.zone)
        channels = platform_channels(settings, None, sessions)
        for channel in channels:
            await channel.start()
        sender = OutboxSender(sessions, {c.name: c.send_to for c in channels})
        await sender.start()
        await sender.run(until_empty=True)
    finally:
        for channel in reversed(channels):
            await channel.stop()
        await engine.dispose()
    return 0


_COMMANDS = {"import": _import, "stats": _stats, "send": _send}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="motcua dossiers", description="Hồ sơ: nhập trạng thái, báo cáo, gửi tin.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("import", help="nhập tệp CSV/XLSX xuất từ phần mềm một cửa (lỗi một dòng: không nhập gì)")
    p.add_argument("file")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến độ")
    p = commands.add_parser("stats", help="tỉ lệ đúng hạn, hồ sơ trễ, sắp đến hạn, mức hài lòng")
    p.add_argument("--from", dest="since", type=_day, help="từ ngày (mặc định: đầu tháng)")
    p.add_argument("--to", type=_day, help="đến ngày (mặc định: hôm nay)")
    p.add_argument("--json", action="store_true")
    p = commands.add_parser("send", help="gửi các tin báo đang chờ rồi dừng")
    p.add_argument("--late", action="store_true", help="trước đó, xếp tin báo cho hồ sơ đang theo dõi đã quá hẹn")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(_COMMANDS[args.command](get_settings(), args))
    except ValidationError as exc:
        print(f"Cấu hình không hợp lệ (.env hoặc biến môi trường):\n{exc}", file=sys.stderr)
    except (SQLAlchemyError, OSError) as exc:
        print(f"Lỗi cơ sở dữ liệu hoặc tệp: {exc}", file=sys.stderr)
    return 1
