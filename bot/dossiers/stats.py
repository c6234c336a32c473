"""Figures for officials: on-time rate by procedure and by field, late dossiers, dossiers due
soon, satisfaction. Pure over the rows the repository reads."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DossierRating, DossierRow
from bot.dossiers.status import DONE, FINISHED

DUE_SOON_DAYS = 2


@dataclass
class OnTime:
    finished: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def rate(self) -> float | None:
        return self.on_time / self.finished if self.finished else None


@dataclass
class DossierBrief:
    code: str
    procedure_code: str | None
    status: str
    due: str  # dd/mm/yyyy local
    days: int  # days late (late list) or days left (due soon)


@dataclass
class Report:
    start: date
    end: date
    total: OnTime = field(default_factory=OnTime)
    by_procedure: dict[str, OnTime] = field(default_factory=dict)
    by_field: dict[str, OnTime] = field(default_factory=dict)
    late_open: list[DossierBrief] = field(default_factory=list)
    due_soon: list[DossierBrief] = field(default_factory=list)
    due_tomorrow_not_ready: int = 0
    rating_count: int = 0
    rating_average: float | None = None

    def as_dict(self) -> dict:
        def table(rows: dict[str, OnTime]) -> dict:
            return {k: asdict(v) | {"rate": v.rate} for k, v in sorted(rows.items())}

        return {
            "period": [self.start.isoformat(), self.end.isoformat()],
            "total": asdict(self.total) | {"rate": self.total.rate},
            "by_procedure": table(self.by_procedure), "by_field": table(self.by_field),
            "late_open": [asdict(d) for d in self.late_open], "due_soon": [asdict(d) for d in self.due_soon],
            "due_tomorrow_not_ready": self.due_tomorrow_not_ready,
            "satisfaction": {"count": self.rating_count, "average": self.rating_average},
        }


async def build_report(session: AsyncSession, start: date, end: date, zone: ZoneInfo, now: datetime) -> Report:
    """Dossiers finished in [start, end] (local days) count for the on-time rate; the late and
    due-soon lists are as of ``now``."""
    report = Report(start, end)
    since = datetime.combine(start, datetime.min.time(), zone)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone)
    finished = await session.scalars(select(DossierRow).where(
        DossierRow.status.in_(DONE), DossierRow.finished_at >= since, DossierRow.finished_at < until))
    for row in finished:
        late = row.finished_at > row.due_at
        for tally in (report.total, report.by_procedure.setdefault(row.procedure_code or "?", OnTime()),
                      report.by_field.setdefault(row.field or "(không rõ lĩnh vực)", OnTime())):
            tally.finished += 1
            tally.late += late
            tally.on_time += not late
    today = now.astimezone(zone).date()
    horizon = datetime.combine(today + timedelta(days=DUE_SOON_DAYS + 1), datetime.min.time(), zone)
    open_rows = await session.scalars(select(DossierRow).where(
        DossierRow.status.not_in(FINISHED), DossierRow.due_at < horizon).order_by(DossierRow.due_at))
    for row in open_rows:
        due_day = row.due_at.astimezone(zone).date()
        brief = DossierBrief(row.code, row.procedure_code, row.status, due_day.strftime("%d/%m/%Y"), 0)
        if row.due_at < now:
            brief.days = (today - due_day).days
            report.late_open.append(brief)
        else:
            brief.days = (due_day - today).days
            report.due_soon.append(brief)
            report.due_tomorrow_not_ready += brief.days <= 1
    count, average = (await session.execute(select(func.count(), func.avg(DossierRating.score)).where(
        DossierRating.rated_at >= since, DossierRating.rated_at < until))).one()
    report.rating_count = count
    report.rating_average = round(float(average), 2) if average is not None else None
    return report


def _rate(tally: OnTime) -> str:
    return f"{tally.rate * 100:5.1f}%" if tally.rate is not None else "    –"


def format_report(report: Report, names: dict[str, str] | None = None, top: int = 20) -> str:
    names = names or {}
    lines = [f"Báo cáo hồ sơ từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}",
             f"Đã giải quyết: {report.total.finished} — đúng hạn {report.total.on_time}, trễ hạn {report.total.late} "
             f"(tỉ lệ đúng hạn {_rate(report.total).strip()})", ""]
    for title, rows, label in (("Theo lĩnh vực", report.by_field, lambda k: k),
                               ("Theo thủ tục", report.by_procedure, lambda k: f"{k} {names.get(k, '')}".strip())):
        lines.append(f"{title}:")
        ordered = sorted(rows.items(), key=lambda kv: (-kv[1].finished, kv[0]))
        for key, tally in ordered[:top]:
            lines.append(f"  {_rate(tally)}  {tally.on_time:>5}/{tally.finished:<5}  {label(key)[:80]}")
        if len(ordered) > top:
            lines.append(f"  … và {len(ordered) - top} dòng nữa (dùng --json để xem đủ)")
        lines.append("")
    lines.append(f"Hồ sơ đang trễ hạn: {len(report.late_open)}")
    lines += [f"  {d.code}  trễ {d.days} ngày (hẹn {d.due})  {d.status}" for d in report.late_open[:top]]
    lines.append(f"Hồ sơ đến hạn trong {DUE_SOON_DAYS} ngày tới: {len(report.due_soon)}")
    lines += [f"  {d.code}  hẹn {d.due} (còn {d.days} ngày)  {d.status}" for d in report.due_soon[:top]]
    if report.due_tomorrow_not_ready:
        lines.append(f"CẢNH BÁO: {report.due_tomorrow_not_ready} hồ sơ hẹn trả đến hết ngày mai mà chưa có kết quả.")
    average = f"{report.rating_average:.2f}/5" if report.rating_average is not None else "–"
    lines.append(f"Mức độ hài lòng: {average} ({report.rating_count} lượt đánh giá)")
    return "\n".join(lines)
