"""Dossiers as the system of record: applying what the one-stop software reports, with history.

``DossierRepository.apply`` takes facts (an import row or a pushed event), compares them with
the stored dossier and writes only what changed: the dossier, one ``dossier_changes`` row per
change, an apology when a new appointment comes with it. Applying the same facts twice changes
nothing. Repositories only flush; the caller owns the transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    DossierApology,
    DossierChange,
    DossierEvent,
    DossierFollower,
    DossierRating,
    DossierRow,
    LookupFailure,
    ProcedureRow,
    utcnow,
)
from bot.dossiers.status import FINISHED, DossierStatus

CHUNK = 500  # codes per IN (...) query
TRACKED = ("status", "step", "due_at", "new_due_at", "procedure_code", "procedure_name", "applicant_name",
           "phone_last4", "received_at")


class DossierFacts(Protocol):
    """What one row of an export or one pushed event says about a dossier (None: not said)."""

    code: str
    procedure_code: str | None
    procedure_name: str | None
    applicant_name: str | None
    phone: str | None
    received_at: datetime | None  # naive local time, or aware
    due_at: datetime | None
    status: DossierStatus | None
    step: str | None
    new_due_at: datetime | None
    late_reason: str | None


class MissingFactsError(ValueError):
    """A new dossier without the facts every dossier needs; nothing was written."""


@dataclass(frozen=True)
class AppliedChange:
    code: str
    version: int
    created: bool
    changes: tuple[dict[str, Any], ...]  # {"field", "from", "to"}, datetimes as ISO strings
    apology: bool = False  # a new appointment came with this change

    def changed(self, name: str) -> bool:
        return any(change["field"] == name for change in self.changes)


def aware(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Local naive datetimes from the one-stop software → aware; aware ones pass through."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=zone)


def appointment(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An appointment given as a day (midnight) lasts until the end of that day."""
    if value is not None and value.tzinfo is None and value.time() == time():
        value = value.replace(hour=23, minute=59, second=59)
    return aware(value, zone)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, DossierStatus):
        return value.value
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old == new
    return _plain(old) == _plain(new)


class DossierRepository:
    def __init__(self, session: AsyncSession, zone: ZoneInfo) -> None:
        self.session = session
        self.zone = zone

    async def get(self, code: str) -> DossierRow | None:
        return await self.session.get(DossierRow, code)

    async def apply(self, facts: Sequence[DossierFacts], actor: str, at: datetime | None = None,
                    progress: Callable[[int], object] | None = None) -> list[AppliedChange]:
        """Apply facts in order (one dossier per item); returns what changed. ``progress(n)``
        after every chunk of n items."""
        at = at or utcnow()
        applied: list[AppliedChange] = []
        for start in range(0, len(facts), CHUNK):
            chunk = facts[start : start + CHUNK]
            applied.extend(await self._apply_chunk(chunk, actor, at))
            if progress is not None:
                progress(len(chunk))
        return applied

    async def _apply_chunk(self, facts: Sequence[DossierFacts], actor: str, at: datetime) -> list[AppliedChange]:
        codes = list({f.code for f in facts})
        stored = {row.code: row for row in await self.session.scalars(select(DossierRow).where(DossierRow.code.in_(codes)))}
        wanted = {f.procedure_code for f in facts if f.procedure_code}
        procedures = dict((await self.session.execute(
            select(ProcedureRow.code, ProcedureRow.field).where(ProcedureRow.code.in_(wanted)))).all()) if wanted else {}
        new_codes: set[str] = set()
        updates: dict[str, dict[str, Any]] = {}
        change_rows: list[dict[str, Any]] = []
        apologies: list[dict[str, Any]] = []
        applied: list[AppliedChange] = []
        for item in facts:
            new = self._values(item)
            current = updates.get(item.code) or (self._row_values(stored[item.code]) if item.code in stored else None)
            if current is None:
                missing = [name for name in ("received_at", "due_at", "status") if new.get(name) is None]
                if missing:
                    raise MissingFactsError(f"{item.code}: a new dossier needs {', '.join(missing)}")
                values = {name: new.get(name) for name in TRACKED} | {"code": item.code, "version": 1, "updated_at": at}
                values["field"] = procedures.get(new.get("procedure_code"))
                values["finished_at"] = at if new["status"] in FINISHED else None
                changes = [{"field": n, "from": None, "to": _plain(v)} for n, v in new.items() if v is not None]
                new_codes.add(item.code)
                updates[item.code] = values
                created = True
            else:
                changes = [{"field": n, "from": _plain(current[n]), "to": _plain(v)}
                           for n, v in new.items() if v is not None and not _same(current[n], v)]
                if not changes:
                    continue
                values = dict(current) | {n: v for n, v in new.items() if v is not None}
                values["version"] = current["version"] + 1
                values["updated_at"] = at
                if "procedure_code" in new and new["procedure_code"] in procedures:
                    values["field"] = procedures[new["procedure_code"]]
                if values["finished_at"] is None and values["status"] in FINISHED:
                    values["finished_at"] = at
                updates[item.code] = values
                created = False
            apology = any(c["field"] == "new_due_at" for c in changes) and new.get("new_due_at") is not None
            if apology:
                apologies.append({"code": item.code, "reason": item.late_reason, "new_due_at": new["new_due_at"],
                                  "issued_at": at, "issued_by": actor})
            change_rows.append({"code": item.code, "version": values["version"], "changed_at": at,
                                "changed_by": actor, "changes": changes})
            applied.append(AppliedChange(item.code, values["version"], created, tuple(changes), apology))
        for row in stored.values():  # bulk UPDATE by primary key leaves loaded objects stale
            self.session.expire(row)
        if new_codes:
            await self.session.execute(insert(DossierRow), [updates[code] for code in new_codes])
        changed = [v for code, v in updates.items() if code not in new_codes]
        if changed:
            await self.session.execute(update(DossierRow), changed)
        if change_rows:
            await self.session.execute(insert(DossierChange), change_rows)
        for apology in apologies:  # one per new appointment date
            exists = await self.session.scalar(select(func.count()).select_from(DossierApology).where(
                DossierApology.code == apology["code"], DossierApology.new_due_at == apology["new_due_at"]))
            if not exists:
                await self.session.execute(insert(DossierApology), [apology])
        return applied

    def _values(self, facts: DossierFacts) -> dict[str, Any]:
        phone = "".join(ch for ch in facts.phone or "" if ch.isdigit())
        return {
            "status": DossierStatus(facts.status).value if facts.status is not None else None,
            "step": facts.step,
            "due_at": appointment(facts.due_at, self.zone),
            "new_due_at": appointment(facts.new_due_at, self.zone),
            "procedure_code": facts.procedure_code,
            "procedure_name": facts.procedure_name,
            "applicant_name": facts.applicant_name,
            "phone_last4": phone[-4:] if len(phone) >= 4 else None,
            "received_at": aware(facts.received_at, self.zone),
        }

    @staticmethod
    def _row_values(row: DossierRow) -> dict[str, Any]:
        return {name: getattr(row, name) for name in (*TRACKED, "code", "version", "field", "finished_at")}

    async def history(self, code: str) -> list[DossierChange]:
        return list(await self.session.scalars(
            select(DossierChange).where(DossierChange.code == code).order_by(DossierChange.version)))

    async def latest_apology(self, code: str) -> DossierApology | None:
        return await self.session.scalar(select(DossierApology).where(DossierApology.code == code)
                                         .order_by(DossierApology.issued_at.desc(), DossierApology.id.desc()).limit(1))

    # events pushed by the one-stop system
    async def seen_event(self, event_id: str) -> bool:
        return await self.session.get(DossierEvent, event_id) is not None

    async def record_event(self, event_id: str, code: str, actor: str) -> None:
        self.session.add(DossierEvent(event_id=event_id, code=code, actor=actor))
        await self.session.flush()

    # followers and ratings
    async def followers(self, codes: Iterable[str]) -> dict[str, list[DossierFollower]]:
        codes = list(set(codes))
        found: dict[str, list[DossierFollower]] = {}
        for start in range(0, len(codes), CHUNK):
            rows = await self.session.scalars(select(DossierFollower).where(DossierFollower.code.in_(codes[start : start + CHUNK])))
            for row in rows:
                found.setdefault(row.code, []).append(row)
        return found

    async def follow(self, code: str, channel: str, recipient: str, user_id: str) -> bool:
        """Returns False when this conversation already follows the dossier."""
        if await self.session.get(DossierFollower, (code, channel, recipient)) is not None:
            return False
        self.session.add(DossierFollower(code=code, channel=channel, recipient=recipient, user_id=user_id))
        await self.session.flush()
        return True

    async def unfollow(self, code: str, channel: str, recipient: str) -> bool:
        result = await self.session.execute(delete(DossierFollower).where(
            DossierFollower.code == code, DossierFollower.channel == channel, DossierFollower.recipient == recipient))
        return bool(result.rowcount)

    async def is_follower(self, code: str, channel: str, user_id: str) -> bool:
        return bool(await self.session.scalar(select(func.count()).select_from(DossierFollower).where(
            DossierFollower.code == code, DossierFollower.channel == channel, DossierFollower.user_id == user_id)))

    async def rate(self, code: str, channel: str, user_id: str, score: int) -> None:
        row = await self.session.scalar(select(DossierRating).where(
            DossierRating.code == code, DossierRating.channel == channel, DossierRating.user_id == user_id))
        if row is None:
            self.session.add(DossierRating(code=code, channel=channel, user_id=user_id, score=score))
        else:
            row.score, row.rated_at = score, utcnow()
        await self.session.flush()

    async def comment(self, code: str, channel: str, user_id: str, comment: str) -> bool:
        result = await self.session.execute(update(DossierRating).where(
            DossierRating.code == code, DossierRating.channel == channel, DossierRating.user_id == user_id
        ).values(comment=comment))
        return bool(result.rowcount)

    # the pause after repeated failed lookups
    async def failures_since(self, channel: str, user_id: str, since: datetime) -> list[datetime]:
        return list(await self.session.scalars(select(LookupFailure.failed_at).where(
            LookupFailure.channel == channel, LookupFailure.user_id == user_id, LookupFailure.failed_at >= since
        ).order_by(LookupFailure.failed_at)))

    async def record_failure(self, channel: str, user_id: str, at: datetime | None = None) -> None:
        self.session.add(LookupFailure(channel=channel, user_id=user_id, failed_at=at or utcnow()))
        await self.session.flush()

    async def purge_failures(self, older_than: timedelta) -> None:
        await self.session.execute(delete(LookupFailure).where(LookupFailure.failed_at < utcnow() - older_than))
