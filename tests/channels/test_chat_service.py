"""The conversation service through the web API: state across restarts, analytics, privacy."""
import logging
from datetime import timedelta

import aiohttp
import pytest

from bot.db.chat import ChatRepository
from bot.db.models import QuestionLogRow, utcnow
from bot.db.session import create_engine, session_factory
from bot.settings import Settings
from tests.channels.conftest import questions, running

SESSION = "session-abc-123"


@pytest.fixture
def settings(tmp_path):
    return Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'chat.sqlite3'}")


async def ask(url: str, **payload) -> list[dict]:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/chat", json={"session_id": SESSION, **payload}) as response:
            assert response.status == 200
            return (await response.json())["replies"]


async def test_follow_up_survives_a_restart(settings, matcher):
    async with running(settings, matcher) as url:
        [card] = await ask(url, text="đăng ký kết hôn")
        assert "1.000894" in card["text"]
    async with running(settings, matcher) as url:  # a new process on the same database
        [fee] = await ask(url, text="còn lệ phí?")
        assert "kết hôn" in fee["text"] and "Lệ phí" in fee["text"]
        [place] = await ask(url, text="nộp ở đâu")
        assert "Nơi nộp" in place["text"]


async def test_wrong_procedure_offers_the_others(settings, matcher):
    async with running(settings, matcher) as url:
        await ask(url, text="đăng ký khai sinh")
        [others] = await ask(url, text="không phải cái này")
        assert others["buttons"] and all(b["action"].startswith(("pick:", "none")) for b in others["buttons"])
        assert not any("1.001193" in b["action"] for b in others["buttons"])


async def test_questions_are_logged_masked_and_unanswered_ones_kept(settings, matcher, caplog):
    caplog.set_level(logging.DEBUG)
    async with running(settings, matcher) as url:
        await ask(url, text="Tôi tên là Nguyễn Văn An, số 0987 654 321, hỏi làm giấy khai sinh cho con")
        [polite] = await ask(url, text="giá vàng hôm nay bao nhiêu")
        assert "chưa tìm được" in polite["text"] and polite["buttons"]
        await ask(url, text="cảm ơn ad nhé")  # thanks are not questions
    logged = await questions(settings.database_url)
    assert [q.status for q in logged] == ["answer", "none"]
    assert "654 321" not in logged[0].text and "Nguyễn Văn An" not in logged[0].text and "[số]" in logged[0].text
    assert logged[0].matched_code == "1.001193" and logged[1].matched_code is None
    assert all(q.channel == "web" and q.latency_ms >= 0 for q in logged)
    everything = "\n".join(record.getMessage() for record in caplog.records)
    assert "654 321" not in everything and "Nguyễn Văn An" not in everything


async def test_old_questions_are_purged(settings, matcher):
    async with running(settings, matcher) as url:
        await ask(url, text="đăng ký tạm trú")
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            session.add(QuestionLogRow(channel="web", asked_at=utcnow() - timedelta(days=400), text="cũ",
                                       status="answer", matched_code=None, aspect="general", latency_ms=1.0))
        async with session_factory(engine)() as session, session.begin():
            removed = await ChatRepository(session).purge(timedelta(days=settings.question_log_retention_days))
    finally:
        await engine.dispose()
    assert removed == 1
    assert [q.text for q in await questions(settings.database_url)] == ["đăng ký tạm trú"]


@pytest.mark.parametrize(
    "body, status",
    [(b"{", 400), (b"[]", 400), (b'{"session_id": "x", "text": "hi"}', 422),
     (b'{"session_id": "abcdefgh1"}', 422), (b'{"session_id": "abcdefgh1", "text": 5}', 422)],
)
async def test_bad_requests_get_a_precise_answer(settings, matcher, body, status):
    async with running(settings, matcher) as url, aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/chat", data=body) as response:
            assert response.status == status and "error" in await response.json()


async def test_help_states_the_service_never_asks_for_secrets(settings, matcher):
    async with running(settings, matcher) as url:
        [help_text] = await ask(url, text="/help")
    assert "OTP" in help_text["text"] and "mật khẩu" in help_text["text"]


async def test_menu_lists_the_most_asked_procedures_first(settings, matcher):
    async with running(settings, matcher) as url:
        [default] = await ask(url, text="/menu")
        assert default["buttons"][0]["action"] == "pick:1.001193:general"
        for question in ("đăng ký tạm trú", "dang ky tam tru cho nguoi thue tro", "đăng ký tạm trú ở đâu"):
            await ask(url, text=question)
        [menu] = await ask(url, text="/menu")
        assert menu["buttons"][0]["action"] == "pick:1.004194:general"
        assert len(menu["buttons"]) == 6 and len({b["action"] for b in menu["buttons"]}) == 6
    async with running(settings, matcher) as url:  # counted from the question log after a restart
        [menu] = await ask(url, text="/menu")
        assert menu["buttons"][0]["action"] == "pick:1.004194:general"
