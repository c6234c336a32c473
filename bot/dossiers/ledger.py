"""Recording dossier changes and, in the same transaction, the notices their followers are owed."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dossiers import AppliedChange, DossierFacts, DossierRepository
from bot.db.models import DossierApology, DossierFollower, DossierRow, utcnow
from bot.db.outbox import Notice, OutboxRepository
from bot.dossiers.status import FINISHED, DossierStatus
from handlers.dossier import DossierView, change_notice, late_notice, rating_request

NOTIFIED_FIELDS = ("status", "due_at", "new_due_at")


def view_of(row: DossierRow, zone: ZoneInfo, verified: bool = False, apology: DossierApology | None = None,
            now: datetime | None = None) -> DossierView:
    local = lambda value: value.astimezone(zone) if value is not None else None  # noqa: E731
    return DossierView(
        code=row.code, status=DossierStatus(row.status), received_at=local(row.received_at), due_at=local(row.due_at),
        new_due_at=local(row.new_due_at), finished_at=local(row.finished_at), now=local(now or utcnow()),
        procedure_name=row.procedure_name if verified else None,
        applicant_name=row.applicant_name if verified else None,
        step=row.step if verified else None,
        apology_reason=apology.reason if apology else None,
    )


async def record(session: AsyncSession, facts: Sequence[DossierFacts], actor: str, zone: ZoneInfo,
                 at: datetime | None = None, progress: Callable[[int], object] | None = None) -> list[AppliedChange]:
    """Apply ``facts`` and queue one notice per follower for every change worth telling."""
    dossiers = DossierRepository(session, zone)
    applied = await dossiers.apply(facts, actor, at, progress)
    told = [change for change in applied
            if not change.created and any(change.changed(name) for name in NOTIFIED_FIELDS)]
    if not told:
        return applied
    followers = await dossiers.followers(change.code for change in told)
    notices: list[Notice] = []
    for change in told:
        if change.code not in followers:
            continue
        row = await dossiers.get(change.code)
        apology = await dossiers.latest_apology(change.code) if change.apology else None
        view = view_of(row, zone, apology=apology, now=at)
        reply = change_notice(view, change.changed("status"), change.changed("new_due_at"))
        returned = change.changed("status") and view.status == DossierStatus.RETURNED
        for follower in followers[change.code]:
            key = f"{change.code}:v{change.version}:{follower.channel}:{follower.recipient}"
            notices.append(Notice(key, follower.channel, follower.recipient, follower.user_id, reply))
            if returned:
                notices.append(Notice(key + ":rating", follower.channel, follower.recipient, follower.user_id,
                                      rating_request(change.code)))
    await OutboxRepository(session).enqueue(notices)
    return applied


async def queue_late_notices(session: AsyncSession, zone: ZoneInfo, now: datetime | None = None) -> int:
    """Followed dossiers past their appointment, unfinished and without a new date: one notice each
    per appointment (the officials owe an apology; the citizen learns it is late)."""
    now = now or utcnow()
    rows = await session.execute(
        select(DossierRow, DossierFollower).join(DossierFollower, DossierFollower.code == DossierRow.code).where(
            DossierRow.due_at < now, DossierRow.new_due_at.is_(None), DossierRow.status.not_in(FINISHED)))
    notices = [
        Notice(f"{row.code}:late:{row.due_at.date().isoformat()}:{f.channel}:{f.recipient}", f.channel, f.recipient,
               f.user_id, late_notice(view_of(row, zone, now=now)))
        for row, f in rows.all()
    ]
    await OutboxRepository(session).enqueue(notices)
    return len(notices)
