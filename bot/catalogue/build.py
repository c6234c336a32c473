"""Build the canonical catalogue (``procedures_data/catalogue.jsonl.gz``) from the four raw sources.

Usage: ``python -m bot.catalogue.build [--source DIR] [--out FILE]`` (wired as ``motcua catalogue build``).
"""
from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.catalogue.copies import copied_pages, withhold
from bot.catalogue.schema import LEVELS, LegalBasis, Procedure
from bot.catalogue.sources import Partial, normalise_code
from bot.catalogue.sources import chatbot, govease, opengov
from bot.catalogue.sources.common import mark_case_groups, read_jsonl_gz
from bot.catalogue.sources.flat_tables import find_legal_codes
from bot.catalogue.sources.text import levels_from_text, mentions_district, strip_bullet, unique
from bot.paths import CATALOGUE_FILE, RAW_DVC_DIR

Reader = Callable[[dict[str, Any]], Partial | None]

# Detail sources, best structured first.
DETAIL_SOURCES: tuple[tuple[str, Reader, Callable[[dict[str, Any]], Any]], ...] = (
    (opengov.DETAILS_STEM, opengov.read_details_record, lambda r: r.get("code")),
    (govease.STEM, govease.read_govease_record, lambda r: (r.get("source") or {}).get("procedure_code")),
    (chatbot.STEM, chatbot.read_chatbot_record, lambda r: r.get("ma_thu_tuc")),
)
INDEX = opengov.INDEX_STEM
D, G, C = opengov.DETAILS_STEM, govease.STEM, chatbot.STEM

# Source order per field ("index" = the national index).
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "name": (INDEX, D, C, G),
    "field": (INDEX, D, C, G),
    "type": (INDEX, D),
    "executing_bodies": (INDEX, D, C, G),
    "authorised_bodies": (D, C),
    "target_users": (INDEX, D, C, G),
    "submission_methods": (D, G, C),
    "processing_times": (D, G, C),
    "fees": (D, C),
    "document_groups": (D, G, C),
    "steps": (D, G, C),
    "conditions": (D, G, C),
    "results": (D, G, C),
    "legal_basis": (D, G, C),
    "portal_url": (C, D, INDEX),
}


@dataclass
class CoverageReport:
    total: int = 0
    by_level: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    by_field: Counter = field(default_factory=Counter)
    by_source: Counter = field(default_factory=Counter)
    with_documents: int = 0
    with_time_value: int = 0
    with_fee_text: int = 0
    with_fee_amount: int = 0
    with_free_fee: int = 0
    with_steps: int = 0
    with_legal_basis: int = 0
    mentions_district: int = 0
    withheld: dict[str, list[str]] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)

    def add(self, p: Procedure) -> None:
        self.total += 1
        self.by_level.update(p.levels)
        self.by_type[p.type] += 1
        self.by_field[p.field or "(không rõ)"] += 1
        self.by_source.update(p.sources)
        self.with_documents += bool(p.document_groups)
        self.with_time_value += any(t.value is not None for t in p.processing_times)
        self.with_fee_text += bool(p.fees)
        self.with_fee_amount += any(f.amount_vnd for f in p.fees)
        self.with_free_fee += any(f.amount_vnd == 0 for f in p.fees)
        self.with_steps += bool(p.steps)
        self.with_legal_basis += bool(p.legal_basis)
        self.mentions_district += p.mentions_district

    def _share(self, n: int) -> str:
        return f"{n:5d} ({100 * n / self.total:5.1f}%)" if self.total else f"{n:5d}"

    def render(self) -> str:
        lines = [f"Procedures: {self.total}", "By level:"]
        lines += [f"  {lvl:<10} {self._share(self.by_level[lvl])}" for lvl in LEVELS]
        lines.append("By type:")
        lines += [f"  {t:<18} {self._share(n)}" for t, n in sorted(self.by_type.items())]
        lines.append("By source (contributed):")
        lines += [f"  {s:<40} {self._share(n)}" for s, n in sorted(self.by_source.items())]
        lines.append("Top 25 fields:")
        lines += [f"  {n:5d}  {f}" for f, n in self.by_field.most_common(25)]
        lines += [
            "Coverage:",
            f"  with documents          {self._share(self.with_documents)}",
            f"  with processing time    {self._share(self.with_time_value)}  (parsed value)",
            f"  with fee text           {self._share(self.with_fee_text)}",
            f"  with fee amount > 0     {self._share(self.with_fee_amount)}",
            f"  with a free fee (0)     {self._share(self.with_free_fee)}",
            f"  with steps              {self._share(self.with_steps)}",
            f"  with legal basis        {self._share(self.with_legal_basis)}",
            f"  mentions district level {self._share(self.mentions_district)}",
            f"Pages withheld as copies of another field's procedure: {len(self.withheld)}",
        ]
        lines += [f"  {code}  {', '.join(stems)}" for code, stems in sorted(self.withheld.items())]
        lines += [
            f"Skipped: {sum(self.skipped.values())}",
        ]
        lines += [f"  {n:5d}  {reason}" for reason, n in sorted(self.skipped.items())]
        return "\n".join(lines)


def _texts(p: Procedure) -> Iterable[str]:
    yield p.name
    yield from p.executing_bodies
    yield from p.authorised_bodies
    yield from (t.text for t in p.processing_times)
    yield from (f.text for f in p.fees)
    for g in p.document_groups:
        yield g.title
        yield from (d.name for d in g.documents)
    yield from p.steps
    yield p.conditions or ""
    yield from p.results


def _normalise_legal(lb: LegalBasis) -> LegalBasis:
    """ "Nghị định số 142/2025/NĐ-CP" as a code -> "142/2025/NĐ-CP"."""
    spans = find_legal_codes(lb.code or "")
    return lb.model_copy(update={"code": lb.code[spans[0][0] : spans[0][1]]}) if spans else lb


def _first(partials: dict[str, Partial], name: str) -> Any:
    return next((v for stem in FIELD_ORDER[name] if (v := partials.get(stem, {}).get(name))), None)


def merge(code: str, partials: dict[str, Partial], withheld: list[str] = ()) -> Procedure:
    """Merge one code's partials: per field the first non-empty value in ``FIELD_ORDER``."""
    data: dict[str, Any] = {"code": code, "withheld_sources": sorted(withheld)}
    used: set[str] = set()
    for name, order in FIELD_ORDER.items():
        for stem in order:
            value = partials.get(stem, {}).get(name)
            if value:
                data[name] = value
                used.add(stem)
                break
    if data.get("document_groups"):
        data["document_groups"] = mark_case_groups(data["document_groups"])
    data["results"] = unique(strip_bullet(r) for r in data.get("results", []))
    data["legal_basis"] = [_normalise_legal(lb) for lb in data.get("legal_basis", [])]
    data.setdefault("type", "STANDARD")
    if data["type"] == "SPECIFIC":
        provinces = (partials.get(stem, {}).get("province") for stem in (INDEX, D))
        data["province"] = next((p for p in provinces if p), None)
    levels = set().union(*(p.get("levels") or set() for p in partials.values()))
    used.update(stem for stem, p in partials.items() if p.get("levels"))
    levels = levels or levels_from_text(data.get("name"))  # "… (thực hiện tại cấp tỉnh)"
    data["levels"] = [lvl for lvl in LEVELS if lvl in levels] or ["other"]
    data["sources"] = sorted(used)
    procedure = Procedure.model_validate(data)
    procedure.mentions_district = mentions_district(_texts(procedure))
    return procedure


def collect(source_dir: Path, report: CoverageReport) -> dict[str, dict[str, Partial]]:
    """Read every source: code -> {source stem: partial}."""
    by_code: dict[str, dict[str, Partial]] = {}
    for stem, reader, raw_code in DETAIL_SOURCES:
        for rec in read_jsonl_gz(source_dir / f"{stem}.jsonl.gz"):
            partial = reader(rec)
            if partial is None:
                report.skipped[f"{stem}: invalid code {raw_code(rec)!r}"] += 1
                continue
            if stem in by_code.get(partial["code"], {}):
                report.skipped[f"{stem}: duplicate code"] += 1
                continue
            by_code.setdefault(partial["code"], {})[stem] = partial
    for rec in read_jsonl_gz(source_dir / f"{INDEX}.jsonl.gz"):
        code = normalise_code(rec.get("code"))
        if code is None:
            report.skipped[f"{INDEX}: invalid code {rec.get('code')!r}"] += 1
        elif code in by_code and (partial := opengov.read_index_record(rec)):
            by_code[code][INDEX] = partial
    return by_code


def write_catalogue(procedures: list[Procedure], out_path: Path) -> None:
    """One JSON object per line, sorted by code; gzip header without name or time -> reproducible bytes."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(out_path.suffix + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        for p in sorted(procedures, key=lambda p: p.code):
            gz.write(p.model_dump_json(exclude_defaults=False).encode("utf-8") + b"\n")
    tmp.replace(out_path)


def build_catalogue(source_dir: Path, out_path: Path) -> CoverageReport:
    report = CoverageReport()
    procedures = []
    by_code = collect(source_dir, report)
    report.withheld = copied_pages(by_code, {code: _first(partials, "field") for code, partials in by_code.items()})
    for code, stems in report.withheld.items():
        for stem in stems:
            by_code[code][stem] = withhold(by_code[code][stem])
    for code, partials in sorted(by_code.items()):
        try:
            procedure = merge(code, partials, report.withheld.get(code, []))
        except ValueError as exc:  # pydantic.ValidationError is a ValueError
            report.skipped[f"invalid merged record: {type(exc).__name__}"] += 1
            print(f"skip {code}: {exc}", file=sys.stderr)
            continue
        procedures.append(procedure)
        report.add(procedure)
    write_catalogue(procedures, out_path)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="motcua catalogue build", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=RAW_DVC_DIR, help="directory of the raw *.jsonl.gz sources")
    parser.add_argument("--out", type=Path, default=CATALOGUE_FILE, help="output catalogue.jsonl.gz")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"Source directory not found: {args.source}", file=sys.stderr)
        return 2
    report = build_catalogue(args.source, args.out)
    print(report.render())
    print(f"Written: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
