"""``motcua db upgrade`` and ``motcua db history CODE``."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.db.bootstrap import ensure_database
from bot.db.repositories import ProcedureRepository, UnknownProcedureError, VersionRecord
from bot.db.session import create_engine, session_factory
from bot.settings import Settings, get_settings

_VALUE_WIDTH = 100


async def _upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    started = time.perf_counter()
    summary = await ensure_database(settings)
    elapsed = time.perf_counter() - started
    print(f"Cơ sở dữ liệu {make_url(settings.database_url).render_as_string()}: lược đồ mới nhất.")
    if summary is None:
        print("Danh mục thủ tục đã khớp với bản phát hành, không cần nạp lại.")
        return 0
    print(
        f"Đã nạp danh mục trong {elapsed:.1f} giây: thêm {summary.added}, cập nhật {summary.updated}, "
        f"không đổi {summary.unchanged}, xung đột {len(summary.conflicts)}."
    )
    if summary.conflicts:
        print("Giữ chỉnh sửa của cán bộ, danh mục mới khác ở: " + ", ".join(summary.conflicts))
    return 0


async def _history(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            versions = await ProcedureRepository(session).history(args.code)
    finally:
        await engine.dispose()
    print(f"{args.code} · {versions[-1].data.get('name', '')}")
    for record in versions:
        print(_format_version(record))
    return 0


def _format_version(record: VersionRecord) -> str:
    when = record.changed_at.strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"v{record.version}  {when}  {record.change_kind:<10}  {record.changed_by}"]
    if record.note:
        lines[0] += f"  — {record.note}"
    lines += [
        f"    {change['field']}: {_short(change['old'])} → {_short(change['new'])}"
        for change in record.changes
    ]
    return "\n".join(lines)


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


_COMMANDS = {"upgrade": _upgrade, "history": _history}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``motcua db`` with ``argv`` (the words after ``db``); returns the exit status."""
    parser = argparse.ArgumentParser(prog="motcua db", description="Cơ sở dữ liệu danh mục thủ tục.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("upgrade", help="cập nhật lược đồ và nạp danh mục đi kèm nếu cần")
    history = commands.add_parser("history", help="các phiên bản của một thủ tục")
    history.add_argument("code", help="mã thủ tục, ví dụ 1.001193")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(_COMMANDS[args.command](get_settings(), args))
    except ValidationError as exc:
        print(f"Cấu hình không hợp lệ (.env hoặc biến môi trường):\n{exc}", file=sys.stderr)
    except UnknownProcedureError as exc:
        print(f"Không tìm thấy thủ tục: {exc.code}", file=sys.stderr)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
    except (SQLAlchemyError, OSError) as exc:
        print(f"Lỗi cơ sở dữ liệu: {exc}", file=sys.stderr)
    return 1
