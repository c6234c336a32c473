"""End to end through the chat service: import an export, ask about a code on Telegram, check the
phone, follow it, push a status change through the API, receive exactly one notice. Also the
API's authentication and validation."""
from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from fakes.fixtures import fake_telegram, fake_zalo_oa  # noqa: F401
from fakes.telegram_updates import deliver_update, make_callback_update, make_text_update

from bot.dossiers.cli import main as dossiers_main
from bot.settings import Settings
from tests.channels.conftest import running, settle
from tests.dossiers.exports import write_csv

SECRET = "test-secret_1"
TOKEN = "one-stop-system-token-0001"
CHAT = 777
CODE = "000.00.29.H56-250315-0007"
ROW = {
    "ma_ho_so": CODE, "ma_thu_tuc": "1.001193", "ten_thu_tuc": "Đăng ký khai sinh", "ho_ten": "Trần Thị Bình",
    "so_dien_thoai": "0987654321", "ngay_tiep_nhan": "15/03/2025 08:30", "ngay_hen_tra": "18/03/2099",
    "trang_thai": "Đang xử lý", "buoc_xu_ly": "Công chức tư pháp thẩm định",
}


@pytest.fixture
def settings(fake_telegram, tmp_path, monkeypatch):  # noqa: F811
    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite3'}", "TELEGRAM_BOT_TOKEN": fake_telegram.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_BASE_URL": f"{fake_telegram.base_url}/bot",
        "DOSSIER_API_TOKENS": f"motcua-xa={TOKEN}, backup=second-system-token-0002",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    from bot.settings import get_settings

    get_settings.cache_clear()
    yield Settings(_env_file=None)
    get_settings.cache_clear()


async def _post_event(url: str, body, token: str | None = TOKEN) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        async with http.post(f"{url}/api/dossiers/events", data=data, headers=headers) as response:
            return response.status, await response.json()


async def test_import_ask_follow_push_notify(fake_telegram, settings, matcher, tmp_path) -> None:  # noqa: F811
    export = tmp_path / "hoso.csv"
    write_csv(export, [ROW])
    assert await asyncio.to_thread(dossiers_main, ["import", str(export), "--quiet"]) == 0
    async with running(settings, matcher) as url:
        hook = f"{url}/webhooks/telegram"
        await deliver_update(hook, make_text_update(1, CHAT, "hồ sơ 000.00.29.h56-250315-0007 sao rồi ạ"), SECRET)
        status = (await fake_telegram.wait_for_calls("sendMessage", 1))[0]
        assert "đang xử lý" in status.params["text"] and "Trần" not in status.params["text"]
        verify = status.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        await deliver_update(hook, make_callback_update(2, CHAT, verify, 11), SECRET)
        await fake_telegram.wait_for_calls("sendMessage", 2)
        await deliver_update(hook, make_text_update(3, CHAT, "4321"), SECRET)
        details = (await fake_telegram.wait_for_calls("sendMessage", 3))[2]
        assert "Trần Thị Bình" in details.params["text"]
        follow = details.params["reply_markup"]["inline_keyboard"][0][0]
        assert follow["text"] == "Theo dõi hồ sơ"
        await deliver_update(hook, make_callback_update(4, CHAT, follow["callback_data"], 12), SECRET)
        assert "theo dõi" in (await fake_telegram.wait_for_calls("sendMessage", 4))[3].params["text"]

        event = {"event_id": "evt-1", "ma_ho_so": CODE, "trang_thai": "Chờ trả kết quả"}
        assert (await _post_event(url, event))[0] == 200
        assert (await _post_event(url, event))[1]["status"] == "duplicate"  # the system retried
        notice = (await fake_telegram.wait_for_calls("sendMessage", 5, timeout=10))[4]
        assert "đã có kết quả" in notice.params["text"] and CODE in notice.params["text"]
        await settle(1.0)
        assert len(fake_telegram.calls_to("sendMessage")) == 5  # exactly one notice


async def test_api_authentication_and_validation(settings, matcher) -> None:
    async with running(settings, matcher) as url:
        event = {"event_id": "e-1", "ma_ho_so": CODE, "trang_thai": "Đang xử lý"}
        assert (await _post_event(url, event, token=None))[0] == 401
        assert (await _post_event(url, event, token="wrong-token-wrong-token"))[0] == 401
        assert (await _post_event(url, event, token=TOKEN[:-1]))[0] == 401
        status, body = await _post_event(url, b"{not json")
        assert status == 422
        status, body = await _post_event(url, {"ma_ho_so": CODE})
        assert status == 422 and body["errors"][0]["field"] == "event_id"
        status, body = await _post_event(url, {"event_id": "e-2", "ma_ho_so": "abc", "trang_thai": "xyz",
                                               "ngay_hen_tra": "31/02/2025"})
        assert status == 422
        assert {e["field"] for e in body["errors"]} == {"ma_ho_so", "trang_thai", "ngay_hen_tra"}
        status, body = await _post_event(url, event)  # unknown dossier without its dates
        assert status == 422 and {e["field"] for e in body["errors"]} == {"ngay_tiep_nhan", "ngay_hen_tra"}
        new = event | {"event_id": "e-3", "ngay_tiep_nhan": "2025-03-15", "ngay_hen_tra": "2025-03-18"}
        status, body = await _post_event(url, new, token="second-system-token-0002")
        assert status == 200 and body["status"] == "applied" and body["version"] == 1


async def _chat(http: aiohttp.ClientSession, url: str, session_id: str, **body) -> list[dict]:
    async with http.post(f"{url}/api/chat", json={"session_id": session_id, **body}) as response:
        assert response.status == 200
        return (await response.json())["replies"]


async def test_web_follower_fetches_the_notice_once(settings, matcher, tmp_path) -> None:
    export = tmp_path / "hoso.csv"
    write_csv(export, [ROW])
    assert await asyncio.to_thread(dossiers_main, ["import", str(export), "--quiet"]) == 0
    session_id = "web-session-0001"
    async with running(settings, matcher) as url, aiohttp.ClientSession() as http:
        [status] = await _chat(http, url, session_id, text=f"tra cứu {CODE}")
        await _chat(http, url, session_id, action=status["buttons"][0]["action"])
        [details] = await _chat(http, url, session_id, text="4321")
        follow = next(b for b in details["buttons"] if b["label"] == "Theo dõi hồ sơ")
        [followed] = await _chat(http, url, session_id, action=follow["action"])
        assert "mở lại trang" in followed["text"]
        assert (await _post_event(url, {"event_id": "w-1", "ma_ho_so": CODE, "trang_thai": "Đã có kết quả"}))[0] == 200

        async def updates(session: str) -> list[dict]:
            async with http.get(f"{url}/api/chat/updates", params={"session_id": session}) as response:
                return (await response.json())["replies"]

        assert await updates("someone-else-01") == []
        [notice] = await updates(session_id)
        assert "đã có kết quả" in notice["text"]
        assert await updates(session_id) == []  # delivered once


async def test_zalo_notice_waits_for_the_window_then_goes(fake_zalo_oa, tmp_path, monkeypatch, matcher) -> None:  # noqa: F811
    from fakes import zalo_events as oa_events

    from bot.db.dossiers import DossierRepository
    from bot.db.session import create_engine, session_factory
    from bot.settings import get_settings

    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'zalo.sqlite3'}", "ZALO_OA_APP_ID": fake_zalo_oa.app_id,
        "ZALO_OA_SECRET_KEY": oa_events.DEFAULT_OA_SECRET, "ZALO_OA_ACCESS_TOKEN": fake_zalo_oa.access_token,
        "ZALO_OA_REFRESH_TOKEN": fake_zalo_oa.refresh_token, "ZALO_APP_SECRET": fake_zalo_oa.app_secret,
        "ZALO_OA_API_BASE_URL": fake_zalo_oa.base_url, "ZALO_OAUTH_BASE_URL": fake_zalo_oa.base_url,
        "DOSSIER_API_TOKENS": f"motcua-xa={TOKEN}",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    settings = Settings(_env_file=None)
    export = tmp_path / "hoso.csv"
    write_csv(export, [ROW])
    assert await asyncio.to_thread(dossiers_main, ["import", str(export), "--quiet"]) == 0
    user = "7000000000000000042"
    engine = create_engine(settings.database_url)
    async with session_factory(engine)() as session, session.begin():
        await DossierRepository(session, settings.zone).follow(CODE, "zalo_oa", user, user)
    await engine.dispose()
    async with running(settings, matcher) as url:
        fake_zalo_oa.fail_user(user, -230)  # the user's 7-day window has closed
        assert (await _post_event(url, {"event_id": "z-1", "ma_ho_so": CODE, "trang_thai": "Đã có kết quả"}))[0] == 200
        await fake_zalo_oa.wait_for_calls("message/cs", 1)
        await settle(0.5)
        assert not fake_zalo_oa.sent_texts(user)
        fake_zalo_oa.clear_scripts()
        await oa_events.deliver_event(f"{url}/webhooks/zalo-oa", oa_events.user_send_text("cảm ơn", user_id=user),
                                      oa_events.DEFAULT_OA_SECRET)
        for _ in range(100):
            if any("đã có kết quả" in (t or "") for t in fake_zalo_oa.sent_texts(user)):
                break
            await asyncio.sleep(0.1)
        assert sum("đã có kết quả" in (t or "") for t in fake_zalo_oa.sent_texts(user)) == 1
    get_settings.cache_clear()
