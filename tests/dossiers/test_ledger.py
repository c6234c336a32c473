"""Recording dossier changes: history, apologies, followers' notices in the outbox (SQLite and
PostgreSQL), and the chat desk: lookup, phone check, uniform not-found, the pause, follow, rating."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.dossiers import DossierRepository
from bot.db.models import DossierApology, DossierRating, OutboxMessage
from bot.db.session import session_factory
from bot.dossiers.desk import FAILURES_KEPT, DossierDesk, paused_until
from bot.dossiers.ledger import queue_late_notices, record
from bot.dossiers.sheet import DossierRow as Facts
from bot.dossiers.status import DossierStatus
from bot.messages import IncomingMessage, Reply
from bot.render import to_plain
from handlers.conversation import ConversationState

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.29.H56-250315-0007"
FACTS = Facts(
    line=2, code=CODE, procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
    applicant_name="Nguyễn Văn An", phone="0912345678", received_at=datetime(2025, 3, 15, 8, 30),
    due_at=datetime(2025, 3, 18, 17, 0), status=DossierStatus.PROCESSING, step="Công chức tư pháp thẩm định",
    new_due_at=None, late_reason=None,
)
AT = datetime(2025, 3, 16, 3, 0, tzinfo=UTC)


async def _record(engine, facts, at=AT):
    async with session_factory(engine)() as session, session.begin():
        return await record(session, facts, "test", ZONE, at)


async def _outbox(engine) -> list[OutboxMessage]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def _follow(engine, code=CODE, channel="telegram", recipient="42"):
    async with session_factory(engine)() as session, session.begin():
        await DossierRepository(session, ZONE).follow(code, channel, recipient, recipient)


def _text(message: OutboxMessage) -> str:
    return to_plain(Reply.from_dict(message.reply))


async def test_same_facts_twice_change_nothing_and_a_changed_row_is_one_change(engine) -> None:
    first = await _record(engine, [FACTS])
    assert [(c.created, c.version) for c in first] == [(True, 1)]
    assert await _record(engine, [FACTS]) == []
    later = await _record(engine, [replace(FACTS, status=DossierStatus.READY, step="Trả kết quả")], AT + timedelta(days=1))
    assert [(c.created, c.version) for c in later] == [(False, 2)]
    assert {c["field"] for c in later[0].changes} == {"status", "step"}
    async with session_factory(engine)() as session:
        dossiers = DossierRepository(session, ZONE)
        row = await dossiers.get(CODE)
        assert row.status == "ready" and row.phone_last4 == "5678" and row.version == 2
        assert row.finished_at == AT + timedelta(days=1)
        assert row.due_at == datetime(2025, 3, 18, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
        history = await dossiers.history(CODE)
    assert [h.version for h in history] == [1, 2]
    status = next(c for c in history[1].changes if c["field"] == "status")
    assert (status["from"], status["to"]) == ("processing", "ready")
    assert history[1].changed_by == "test"


async def test_followers_get_one_notice_per_change_and_none_for_a_repeat(engine) -> None:
    await _record(engine, [FACTS])
    await _follow(engine)
    await _follow(engine, channel="zalo_oa", recipient="u-7")
    ready = replace(FACTS, status=DossierStatus.READY)
    await _record(engine, [ready])
    await _record(engine, [ready])  # the same export again
    await _record(engine, [replace(ready, step="Chờ ký")])  # a step alone is not announced
    messages = await _outbox(engine)
    assert sorted((m.channel, m.recipient) for m in messages) == [("telegram", "42"), ("zalo_oa", "u-7")]
    assert all(m.state == "pending" for m in messages)
    text = _text(messages[0])
    assert "đã có kết quả" in text and CODE in text
    assert "Nguyễn" not in text and "5678" not in text  # no personal data in notices


async def test_a_new_date_with_a_reason_sends_the_apology(engine) -> None:
    await _record(engine, [FACTS])
    await _follow(engine)
    late = replace(FACTS, new_due_at=datetime(2025, 3, 25), late_reason="Chờ xác minh của xã khác")
    await _record(engine, [late], AT + timedelta(days=3))
    await _record(engine, [late], AT + timedelta(days=4))
    async with session_factory(engine)() as session:
        apologies = list(await session.scalars(select(DossierApology)))
    assert [(a.reason, a.issued_by) for a in apologies] == [("Chờ xác minh của xã khác", "test")]
    [notice] = await _outbox(engine)
    text = _text(notice)
    assert "PHIẾU XIN LỖI" in text and "25/03/2025" in text and "18/03/2025" in text
    assert "Chờ xác minh của xã khác" in text


async def test_returned_asks_for_a_rating(engine) -> None:
    await _record(engine, [FACTS])
    await _follow(engine)
    await _record(engine, [replace(FACTS, status=DossierStatus.RETURNED)])
    texts = [_text(m) for m in await _outbox(engine)]
    assert len(texts) == 2 and "đã được trả kết quả" in texts[0] and "hài lòng" in texts[1]


async def test_late_notice_once_per_appointment(engine) -> None:
    await _record(engine, [FACTS])
    await _follow(engine)
    async with session_factory(engine)() as session, session.begin():
        assert await queue_late_notices(session, ZONE, now=AT) == 0  # not due yet
    later = datetime(2025, 3, 19, 3, 0, tzinfo=UTC)
    for _ in range(2):
        async with session_factory(engine)() as session, session.begin():
            await queue_late_notices(session, ZONE, now=later)
    [notice] = await _outbox(engine)
    assert "quá ngày hẹn trả 18/03/2025" in _text(notice)


async def test_a_new_dossier_needs_its_dates_and_status(engine) -> None:
    from bot.db.dossiers import MissingFactsError

    with pytest.raises(MissingFactsError):
        await _record(engine, [replace(FACTS, status=None)])


# --- the chat desk ---------------------------------------------------------------------------

def _message(text: str = "", action: str | None = None, user: str = "42") -> IncomingMessage:
    kind = "action" if action else "text"
    return IncomingMessage("telegram", user, user, kind, text=text, action=action)


async def _ask(desk: DossierDesk, state: ConversationState, text: str = "", action: str | None = None,
               user: str = "42") -> str:
    replies = await desk.turn(_message(text, action, user), state)
    assert replies is not None
    return "\n".join(to_plain(r) for r in replies)


async def test_lookup_shows_status_only_and_details_after_the_phone_check(engine) -> None:
    await _record(engine, [FACTS])
    desk, state = DossierDesk(session_factory(engine), ZONE), ConversationState()
    shown = await _ask(desk, state, "cho hỏi hồ sơ 000 00 29 h56 250315 0007 tới đâu rồi")
    assert "đang xử lý" in shown and "18/03/2025" in shown
    assert "Nguyễn" not in shown and "khai sinh" not in shown and "thẩm định" not in shown
    assert "4 số cuối" in await _ask(desk, state, action=f"dossier:verify:{CODE}")
    details = await _ask(desk, state, "5678")
    assert "Nguyễn Văn An" in details and "Đăng ký khai sinh" in details and "thẩm định" in details
    assert state.verified == [CODE]


async def test_unknown_code_and_wrong_digits_get_the_same_answer_then_a_pause(engine) -> None:
    await _record(engine, [FACTS])
    desk, state = DossierDesk(session_factory(engine), ZONE), ConversationState()
    unknown = await _ask(desk, state, "000.00.29.H56-250315-0008")
    await _ask(desk, state, action=f"dossier:verify:{CODE}")
    wrong = await _ask(desk, state, "1111")
    assert unknown == wrong
    for sequence in range(9, 12):
        assert await _ask(desk, state, f"000.00.29.H56-250315-{sequence:04d}") == unknown
    paused = await _ask(desk, state, CODE)  # the sixth try, even with a real code
    assert "tạm dừng" in paused and "đang xử lý" not in paused
    other = ConversationState()
    assert "đang xử lý" in await _ask(desk, other, CODE, user="99")  # someone else is not paused


async def test_old_failures_are_purged(engine) -> None:
    now = datetime.now(UTC)
    async with session_factory(engine)() as session, session.begin():
        dossiers = DossierRepository(session, ZONE)
        await dossiers.record_failure("web", "1.2.3.4", now - timedelta(hours=3))
        await dossiers.record_failure("web", "1.2.3.4", now - timedelta(minutes=5))
        await dossiers.purge_failures(FAILURES_KEPT)
        assert await dossiers.failures_since("web", "1.2.3.4", now - timedelta(days=1)) == [now - timedelta(minutes=5)]


def test_pause_window() -> None:
    now = datetime(2025, 3, 16, 12, 0, tzinfo=UTC)
    minute = timedelta(minutes=1)
    five = [now - 50 * minute + n * minute for n in range(5)]
    assert paused_until(five, now) == five[-1] + timedelta(hours=1)
    assert paused_until(five[:4], now) is None
    spread = [now - 200 * minute, now - 150 * minute, now - 100 * minute, now - 50 * minute, now - minute]
    assert paused_until(spread, now) is None  # five failures, but not within one hour
    assert paused_until([t - timedelta(hours=2) for t in five], now) is None  # the pause is over


async def test_follow_needs_the_phone_check_and_a_rating_is_stored_once(engine) -> None:
    await _record(engine, [FACTS])
    desk, state = DossierDesk(session_factory(engine), ZONE), ConversationState()
    assert "4 số cuối" in await _ask(desk, state, action=f"dossier:follow:{CODE}")
    await _ask(desk, state, "số cuối là 5678 ạ")
    assert "theo dõi hồ sơ" in await _ask(desk, state, action=f"dossier:follow:{CODE}")
    await _record(engine, [replace(FACTS, status=DossierStatus.RETURNED)])
    assert "cảm ơn" in await _ask(desk, state, action=f"dossier:rate:4:{CODE}")
    assert "góp ý" in await _ask(desk, state, "cán bộ nhiệt tình, gọi 0912345678 nếu cần")
    await _ask(desk, state, action=f"dossier:rate:5:{CODE}")  # changes the score, no second rating
    async with session_factory(engine)() as session:
        [rating] = list(await session.scalars(select(DossierRating)))
    assert rating.score == 5 and "0912345678" not in rating.comment and "nhiệt tình" in rating.comment
    stranger = ConversationState()
    assert "chưa tìm thấy" in await _ask(desk, stranger, action=f"dossier:rate:1:{CODE}", user="77")
