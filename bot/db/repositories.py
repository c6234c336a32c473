"""Repositories over an ``AsyncSession``: the catalogue as the system of record.

Repositories only flush; the caller owns the transaction (``async with session.begin():``),
so a failed call writes nothing.
"""
from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalogue.schema import Procedure
from bot.db.models import CatalogueImport, ChangeKind, ProcedureRow, ProcedureVersion, utcnow

CATALOGUE_ACTOR = "catalogue-build"
OFFICIAL_KINDS: tuple[ChangeKind, ...] = ("edit", "deactivate")
"""Change kinds made by officials: a catalogue re-sync never overwrites them."""


class UnknownProcedureError(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(f"no procedure with code {code!r}")
        self.code = code


class InvalidChangeError(ValueError):
    """An official's change that the ``Procedure`` schema rejects; nothing was written."""


@dataclass(frozen=True)
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: tuple[str, ...] = ()
    """Codes skipped because an official changed them and the catalogue differs."""


@dataclass(frozen=True)
class VersionRecord:
    code: str
    version: int
    changed_at: datetime
    changed_by: str
    change_kind: ChangeKind
    changes: list[dict[str, Any]]
    note: str | None
    data: dict[str, Any] = field(repr=False)


def diff_fields(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{field, old, new}]`` for the top-level fields that differ, in schema order."""
    return [
        {"field": name, "old": old.get(name), "new": new.get(name)}
        for name in Procedure.model_fields
        if old.get(name) != new.get(name)
    ]


def _columns(procedure: Procedure) -> dict[str, Any]:
    """Column values of ``procedures`` derived from a procedure."""
    return {
        "name": procedure.name,
        "field": procedure.field,
        "type": procedure.type,
        "province": procedure.province,
        "levels": list(procedure.levels),
        "citizen_facing": procedure.citizen_facing,
        "data": procedure.model_dump(mode="json"),
    }


class ProcedureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> Procedure | None:
        """The active procedure with ``code``, or None."""
        data = await self.session.scalar(
            select(ProcedureRow.data).where(ProcedureRow.code == code, ProcedureRow.active)
        )
        return None if data is None else Procedure.model_validate(data)

    async def list_active(self, citizen_only: bool = True) -> list[Procedure]:
        """Active procedures by code; ``citizen_only`` leaves out STANDARD_INTERNAL ones.

        Validation takes about a second for 4,000 procedures, so it runs in a thread.
        """
        query = select(ProcedureRow.data).where(ProcedureRow.active).order_by(ProcedureRow.code)
        if citizen_only:
            query = query.where(ProcedureRow.citizen_facing)
        rows = (await self.session.scalars(query)).all()
        return await asyncio.to_thread(lambda: [Procedure.model_validate(data) for data in rows])

    async def count(self) -> int:
        """Number of procedures, active or not."""
        return await self.session.scalar(select(func.count()).select_from(ProcedureRow)) or 0

    async def last_import(self) -> CatalogueImport | None:
        return await self.session.scalar(
            select(CatalogueImport).order_by(CatalogueImport.id.desc()).limit(1)
        )

    async def sync_from_catalogue(
        self,
        procedures: Iterable[Procedure],
        actor: str = CATALOGUE_ACTOR,
        source: str | None = None,
        sha256: str | None = None,
    ) -> ImportSummary:
        """Add new procedures and update changed ones in bulk; unchanged ones get no version.

        A procedure whose current version an official made keeps it: it counts as unchanged
        when the catalogue still says what was last imported, and as a conflict when the
        catalogue changed too. Procedures absent from ``procedures`` are left as they are.
        """
        incoming: dict[str, Procedure] = {}
        for procedure in procedures:
            if incoming.setdefault(procedure.code, procedure) is not procedure:
                raise ValueError(f"duplicate procedure code {procedure.code!r} in the catalogue")
        current = await self._current_state()
        edited = [code for code, (_, _, kind) in current.items() if kind in OFFICIAL_KINDS]
        base = await self._last_imported([code for code in edited if code in incoming])
        now = utcnow()
        added: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        unchanged = 0
        conflicts: list[str] = []
        for code, procedure in incoming.items():
            columns = _columns(procedure)
            data = columns["data"]
            if code not in current:
                added.append(
                    {
                        **columns,
                        "code": code,
                        "version": 1,
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                        "updated_by": actor,
                    }
                )
                versions.append(_version(code, 1, data, [], "import", actor, now))
                continue
            old_data, old_version, kind = current[code]
            changes = diff_fields(old_data, data)
            if not changes or (kind in OFFICIAL_KINDS and data == base.get(code)):
                unchanged += 1
            elif kind in OFFICIAL_KINDS:
                conflicts.append(code)
            else:
                updated.append(
                    {
                        **columns,
                        "code": code,
                        "version": old_version + 1,
                        "updated_at": now,
                        "updated_by": actor,
                    }
                )
                versions.append(_version(code, old_version + 1, data, changes, "import", actor, now))
        if added:
            await self.session.execute(insert(ProcedureRow), added)
        if updated:
            await self.session.execute(update(ProcedureRow), updated)
        if versions:
            await self.session.execute(insert(ProcedureVersion), versions)
        summary = ImportSummary(len(added), len(updated), unchanged, tuple(sorted(conflicts)))
        self.session.add(
            CatalogueImport(
                source=source,
                sha256=sha256,
                imported_at=now,
                added=summary.added,
                updated=summary.updated,
                unchanged=summary.unchanged,
                conflicts=len(summary.conflicts),
            )
        )
        await self.session.flush()
        return summary

    async def _current_state(self) -> dict[str, tuple[dict[str, Any], int, ChangeKind]]:
        """``code → (data, version, kind of the change that made that version)``."""
        rows = await self.session.execute(
            select(
                ProcedureRow.code,
                ProcedureRow.data,
                ProcedureRow.version,
                ProcedureVersion.change_kind,
            ).join(
                ProcedureVersion,
                (ProcedureVersion.code == ProcedureRow.code)
                & (ProcedureVersion.version == ProcedureRow.version),
            )
        )
        return {code: (data, version, kind) for code, data, version, kind in rows}

    async def _last_imported(self, codes: list[str]) -> dict[str, dict[str, Any]]:
        """``code → data`` of the latest catalogue import of each of ``codes``."""
        if not codes:
            return {}
        rows = await self.session.execute(
            select(ProcedureVersion.code, ProcedureVersion.data)
            .where(ProcedureVersion.code.in_(codes), ProcedureVersion.change_kind == "import")
            .order_by(ProcedureVersion.code, ProcedureVersion.version)
        )
        return {code: data for code, data in rows}

    async def update(
        self, code: str, changes: dict[str, Any], actor: str, note: str | None = None
    ) -> Procedure:
        """Apply an official's top-level field ``changes``; validated, versioned, diffed."""
        row = await self._row(code)
        unknown = sorted(set(changes) - set(Procedure.model_fields))
        if unknown:
            raise InvalidChangeError(f"{code}: unknown field(s) {', '.join(unknown)}")
        if changes.get("code", code) != code:
            raise InvalidChangeError(f"{code}: the code of a procedure cannot change")
        try:
            procedure = Procedure.model_validate({**row.data, **changes})
        except ValidationError as exc:
            raise InvalidChangeError(f"{code}: invalid change: {_describe(exc)}") from exc
        columns = _columns(procedure)
        diff = diff_fields(row.data, columns["data"])
        if diff:
            for name, value in columns.items():
                setattr(row, name, value)
            self._bump(row, actor, "edit", diff, note)
            await self.session.flush()
        return procedure

    async def deactivate(self, code: str, actor: str, note: str | None = None) -> None:
        """Hide a procedure from ``get`` and ``list_active``; a no-op if already inactive."""
        row = await self._row(code)
        if row.active:
            row.active = False
            self._bump(row, actor, "deactivate", [{"field": "active", "old": True, "new": False}], note)
            await self.session.flush()

    async def history(self, code: str) -> list[VersionRecord]:
        """Every version of ``code``, oldest first."""
        versions = (
            await self.session.scalars(
                select(ProcedureVersion)
                .where(ProcedureVersion.code == code)
                .order_by(ProcedureVersion.version)
            )
        ).all()
        if not versions:
            raise UnknownProcedureError(code)
        return [
            VersionRecord(
                code=v.code,
                version=v.version,
                changed_at=v.changed_at,
                changed_by=v.changed_by,
                change_kind=v.change_kind,
                changes=v.changes,
                note=v.note,
                data=v.data,
            )
            for v in versions
        ]

    async def _row(self, code: str) -> ProcedureRow:
        row = await self.session.scalar(
            select(ProcedureRow).where(ProcedureRow.code == code).with_for_update()
        )
        if row is None:
            raise UnknownProcedureError(code)
        return row

    def _bump(
        self,
        row: ProcedureRow,
        actor: str,
        kind: ChangeKind,
        changes: list[dict[str, Any]],
        note: str | None,
    ) -> None:
        now = utcnow()
        row.version += 1
        row.updated_at = now
        row.updated_by = actor
        self.session.add(
            ProcedureVersion(**_version(row.code, row.version, row.data, changes, kind, actor, now, note))
        )


def _version(
    code: str,
    version: int,
    data: dict[str, Any],
    changes: list[dict[str, Any]],
    kind: ChangeKind,
    actor: str,
    at: datetime,
    note: str | None = None,
) -> dict[str, Any]:
    """Column values of one ``procedure_versions`` row."""
    return {
        "code": code,
        "version": version,
        "data": data,
        "changes": changes,
        "change_kind": kind,
        "changed_by": actor,
        "changed_at": at,
        "note": note,
    }


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, error['loc'])) or 'procedure'}: {error['msg']}" for error in exc.errors()
    )
