"""Import speed: a 50,000-row one-stop export (CSV and XLSX) into SQLite and, when reachable,
PostgreSQL — first import, re-import of the same file (nothing changes), and a file where 10 % of
the rows changed status. Reports rows/s per phase and peak memory.

    .venv/bin/python benchmarks/dossier_import.py [--rows 50000] [--postgres URL]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.db.migrate import upgrade_engine  # noqa: E402
from bot.db.session import create_engine, session_factory  # noqa: E402
from bot.dossiers.ledger import record  # noqa: E402
from bot.dossiers.sheet import read_dossier_file  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.dossiers.exports import sample_rows, write_csv, write_xlsx  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dossier_import.json"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _import(url: str, path: Path) -> dict:
    zone = Settings(_env_file=None).zone
    started = time.perf_counter()
    report = read_dossier_file(path)
    read_s = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    engine = create_engine(url)
    try:
        await upgrade_engine(engine)
        started = time.perf_counter()
        async with session_factory(engine)() as session, session.begin():
            applied = await record(session, report.rows, "benchmark", zone)
        write_s = time.perf_counter() - started
    finally:
        await engine.dispose()
    rows = len(report.rows)
    return {"rows": rows, "changed": len(applied), "read_s": round(read_s, 2), "write_s": round(write_s, 2),
            "rows_per_s": round(rows / (read_s + write_s))}


async def _postgres_database(admin_url: str) -> str | None:
    import asyncpg

    try:
        connection = await asyncpg.connect(admin_url, timeout=2)
    except OSError as exc:
        print(f"PostgreSQL not reachable at {admin_url} ({exc}): SQLite only")
        return None
    name = f"motcua_bench_{uuid.uuid4().hex[:8]}"
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


async def _drop(admin_url: str, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url, timeout=2)
    try:
        await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    results: dict = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        rows = sample_rows(args.rows, seed=1)
        csv_file, xlsx_file = write_csv(tmp_path / "hoso.csv", rows), write_xlsx(tmp_path / "hoso.xlsx", rows)
        rng = random.Random(2)
        changed_rows = [dict(r, trang_thai="Đã trả kết quả") if rng.random() < 0.1 else r for r in rows]
        changed_file = write_csv(tmp_path / "hoso_doi.csv", changed_rows)
        started = time.perf_counter()
        xlsx = read_dossier_file(xlsx_file)
        results["xlsx_read"] = {"rows": len(xlsx.rows), "read_s": round(time.perf_counter() - started, 2),
                                "rows_per_s": round(len(xlsx.rows) / (time.perf_counter() - started))}
        targets = {"sqlite": f"sqlite:///{tmp_path / 'bench.sqlite3'}"}
        if postgres := await _postgres_database(args.postgres):
            targets["postgresql"] = postgres
        try:
            for name, url in targets.items():
                results[name] = {
                    "first_import": await _import(url, csv_file),
                    "same_file_again": await _import(url, csv_file),
                    "ten_percent_changed": await _import(url, changed_file),
                }
        finally:
            if postgres:
                await _drop(args.postgres, postgres.rsplit("/", 1)[1])
    results["peak_rss_mb"] = round(_rss_mb())
    print(json.dumps(results, indent=2))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
