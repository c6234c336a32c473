import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.catalogue.schema import Procedure
from bot.db.models import CatalogueImport, ProcedureVersion
from bot.db.repositories import (
    ImportSummary,
    InvalidChangeError,
    ProcedureRepository,
    UnknownProcedureError,
)
from bot.db.session import session_factory

MakeProcedure = Callable[..., Procedure]


async def sync(session: AsyncSession, procedures: list[Procedure], **kwargs) -> ImportSummary:
    """Sync and commit, like a catalogue release does."""
    summary = await ProcedureRepository(session).sync_from_catalogue(procedures, **kwargs)
    await session.commit()
    return summary


async def version_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(ProcedureVersion))


async def test_sync_is_idempotent(session: AsyncSession, make_procedure: MakeProcedure) -> None:
    catalogue = [make_procedure("1.000001"), make_procedure("1.000002")]
    first = await sync(session, catalogue, source="catalogue.jsonl.gz", sha256="a" * 64)
    second = await sync(session, catalogue, source="catalogue.jsonl.gz", sha256="a" * 64)
    assert first == ImportSummary(added=2, updated=0, unchanged=0)
    assert second == ImportSummary(added=0, updated=0, unchanged=2)
    assert await version_count(session) == 2
    imports = (await session.scalars(select(CatalogueImport).order_by(CatalogueImport.id))).all()
    assert [(i.added, i.unchanged, i.sha256) for i in imports] == [(2, 0, "a" * 64), (0, 2, "a" * 64)]
    repository = ProcedureRepository(session)
    assert await repository.count() == 2
    assert await repository.get("1.000001") == catalogue[0]


async def test_changed_procedure_gets_one_version_with_diff(
    session: AsyncSession, make_procedure: MakeProcedure
) -> None:
    await sync(session, [make_procedure("1.000001"), make_procedure("1.000002")])
    changed = make_procedure("1.000001", name="Đăng ký khai sinh", steps=["Nộp hồ sơ"])
    summary = await sync(session, [changed, make_procedure("1.000002")])
    assert summary == ImportSummary(added=0, updated=1, unchanged=1)
    history = await ProcedureRepository(session).history("1.000001")
    assert [(v.version, v.change_kind, v.changed_by) for v in history] == [
        (1, "import", "catalogue-build"),
        (2, "import", "catalogue-build"),
    ]
    assert history[1].changes == [
        {"field": "name", "old": "Thủ tục thử 1.000001", "new": "Đăng ký khai sinh"},
        {"field": "steps", "old": [], "new": ["Nộp hồ sơ"]},
    ]
    assert history[1].data == changed.model_dump(mode="json")
    assert await ProcedureRepository(session).get("1.000001") == changed


async def test_sync_rejects_duplicate_codes(session: AsyncSession, make_procedure: MakeProcedure) -> None:
    with pytest.raises(ValueError, match=re.escape("duplicate procedure code '1.000001'")):
        await sync(session, [make_procedure("1.000001"), make_procedure("1.000001")])
    assert await ProcedureRepository(session).count() == 0


async def test_official_update_is_validated_and_recorded(
    session: AsyncSession, make_procedure: MakeProcedure
) -> None:
    await sync(session, [make_procedure("1.000001")])
    repository = ProcedureRepository(session)
    before = datetime.now(UTC)
    fees = [{"method": None, "text": "8.000 đồng", "amount_vnd": 8000}]
    async with session.begin():
        updated = await repository.update("1.000001", {"fees": fees}, actor="nguyenvana", note="Lệ phí mới")
    assert updated.fees[0].amount_vnd == 8000
    assert await repository.get("1.000001") == updated
    latest = (await repository.history("1.000001"))[-1]
    assert (latest.version, latest.change_kind, latest.changed_by, latest.note) == (
        2, "edit", "nguyenvana", "Lệ phí mới"
    )
    assert before <= latest.changed_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert latest.changed_at.tzinfo is not None
    assert latest.changes == [
        {"field": "fees", "old": [{"method": None, "text": "Miễn lệ phí", "amount_vnd": 0}], "new": fees}
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"fees": [{"text": "âm", "amount_vnd": -1}]},
            "fees.0.amount_vnd: Value error, amount_vnd must be >= 0",
        ),
        ({"levels": []}, "levels: List should have at least 1 item"),
        ({"province": "Hà Nội"}, "province is set only for SPECIFIC procedures"),
        ({"fee": "miễn"}, "unknown field(s) fee"),
        ({"code": "1.000009"}, "the code of a procedure cannot change"),
    ],
)
async def test_invalid_update_writes_nothing(
    engine: AsyncEngine, session: AsyncSession, make_procedure: MakeProcedure, changes: dict, message: str
) -> None:
    original = make_procedure("1.000001")
    await sync(session, [original])
    with pytest.raises(InvalidChangeError) as error:
        async with session.begin():
            await ProcedureRepository(session).update("1.000001", changes, actor="nguyenvana")
    assert message in str(error.value)
    async with session_factory(engine)() as fresh:
        assert await ProcedureRepository(fresh).get("1.000001") == original
        assert await version_count(fresh) == 1


async def test_update_unknown_code(session: AsyncSession) -> None:
    with pytest.raises(UnknownProcedureError, match=re.escape("no procedure with code '9.999999'")):
        async with session.begin():
            await ProcedureRepository(session).update("9.999999", {"name": "Mới"}, actor="a")


async def test_update_without_difference_creates_no_version(
    session: AsyncSession, make_procedure: MakeProcedure
) -> None:
    await sync(session, [make_procedure("1.000001")])
    async with session.begin():
        await ProcedureRepository(session).update("1.000001", {"field": "Hộ tịch"}, actor="a")
    assert await version_count(session) == 1


async def test_official_edit_survives_resync(session: AsyncSession, make_procedure: MakeProcedure) -> None:
    released = [make_procedure("1.000001"), make_procedure("1.000002")]
    await sync(session, released)
    repository = ProcedureRepository(session)
    async with session.begin():
        edited = await repository.update("1.000001", {"conditions": "Có mặt cả hai bên"}, actor="canbo")

    # Same release again: the edit is kept, and is not a conflict.
    assert await sync(session, released) == ImportSummary(added=0, updated=0, unchanged=2)
    # A release that changes the edited procedure too: kept, reported as a conflict.
    release2 = [make_procedure("1.000001", name="Tên mới"), make_procedure("1.000002", name="Tên khác")]
    summary = await sync(session, release2)
    assert summary == ImportSummary(added=0, updated=1, unchanged=0, conflicts=("1.000001",))
    assert await repository.get("1.000001") == edited
    assert [v.change_kind for v in await repository.history("1.000001")] == ["import", "edit"]
    conflicts = await session.scalars(select(CatalogueImport.conflicts).order_by(CatalogueImport.id))
    assert conflicts.all() == [0, 0, 1]


async def test_deactivate_hides_procedure(session: AsyncSession, make_procedure: MakeProcedure) -> None:
    await sync(session, [make_procedure("1.000001"), make_procedure("1.000002")])
    repository = ProcedureRepository(session)
    async with session.begin():
        await repository.deactivate("1.000001", actor="canbo", note="Bãi bỏ")
        await repository.deactivate("1.000001", actor="canbo")  # already inactive: no-op
    assert [p.code for p in await repository.list_active()] == ["1.000002"]
    assert await repository.get("1.000001") is None
    assert await repository.count() == 2
    latest = (await repository.history("1.000001"))[-1]
    assert (latest.version, latest.change_kind, latest.note) == (2, "deactivate", "Bãi bỏ")
    assert latest.changes == [{"field": "active", "old": True, "new": False}]
    # A re-sync does not bring it back.
    assert (await sync(session, [make_procedure("1.000001")])).unchanged == 1
    assert await repository.get("1.000001") is None


async def test_citizen_only_hides_internal(session: AsyncSession, make_procedure: MakeProcedure) -> None:
    await sync(
        session,
        [
            make_procedure("1.000002", type="STANDARD_INTERNAL"),
            make_procedure("1.000001"),
            make_procedure("2.000003", type="SPECIFIC", province="Hà Nội", levels=["province"]),
        ],
    )
    repository = ProcedureRepository(session)
    assert [p.code for p in await repository.list_active()] == ["1.000001", "2.000003"]
    assert [p.code for p in await repository.list_active(citizen_only=False)] == [
        "1.000001",
        "1.000002",
        "2.000003",
    ]


async def test_history_of_unknown_code(session: AsyncSession) -> None:
    with pytest.raises(UnknownProcedureError):
        await ProcedureRepository(session).history("9.999999")


async def test_bulk_sync_of_a_full_catalogue(session: AsyncSession, make_procedure: MakeProcedure) -> None:
    catalogue = [make_procedure(f"1.{n:06d}", steps=[f"Bước {i}" for i in range(5)]) for n in range(4000)]
    assert (await sync(session, catalogue)).added == 4000
    changed = [*catalogue[:-1], make_procedure("1.003999", name="Đổi tên")]
    assert await sync(session, changed) == ImportSummary(added=0, updated=1, unchanged=3999)
    repository = ProcedureRepository(session)
    assert len(await repository.list_active()) == 4000
    assert await version_count(session) == 4001
