"""Zalo OA and Zalo Bot adapters against local fakes: signatures, duplicates, errors, menus."""
import aiohttp
import pytest
from fakes import zalo_bot_events as bot_events
from fakes import zalo_events as oa_events

from bot.channels.base import plain_chunks
from bot.messages import Button, Reply, Span
from bot.settings import Settings
from tests.channels.conftest import running, settle, users

OA_SECRET = oa_events.DEFAULT_OA_SECRET
BOT_SECRET = "bot-secret-123"


@pytest.fixture
def oa_settings(fake_zalo_oa, tmp_path):
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'oa.sqlite3'}",
        zalo_oa_app_id=fake_zalo_oa.app_id,
        zalo_oa_secret_key=OA_SECRET,
        zalo_oa_access_token=fake_zalo_oa.access_token,
        zalo_oa_refresh_token=fake_zalo_oa.refresh_token,
        zalo_app_secret=fake_zalo_oa.app_secret,
        zalo_oa_api_base_url=fake_zalo_oa.base_url,
        zalo_oauth_base_url=fake_zalo_oa.base_url,
    )


@pytest.fixture
def bot_settings(fake_zalo_bot, tmp_path):
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        zalo_bot_token=fake_zalo_bot.token,
        zalo_bot_webhook_secret=BOT_SECRET,
        zalo_bot_api_base_url=fake_zalo_bot.base_url,
    )


async def test_oa_question_and_button(fake_zalo_oa, oa_settings, matcher):
    async with running(oa_settings, matcher) as url:
        hook = f"{url}/webhooks/zalo-oa"
        result = await oa_events.deliver_event(hook, oa_events.user_send_text("đăng ký tạm trú cần giấy tờ gì"), OA_SECRET)
        assert result.status == 200
        await fake_zalo_oa.wait_for_calls("message/cs", 1)
        await settle()
        chunks = [call.params["message"] for call in fake_zalo_oa.calls_to("message/cs")]
        assert "Đăng ký tạm trú" in chunks[0]["text"] and all(len(c["text"]) <= 2000 for c in chunks)
        assert all("attachment" not in c for c in chunks[:-1])  # the buttons come with the last part
        buttons = chunks[-1]["attachment"]["payload"]["buttons"]
        assert 1 <= len(buttons) <= 4 and all(b["type"] == "oa.query.hide" for b in buttons)
        steps = next(b for b in buttons if b["title"] == "Các bước")
        # a tap on a query button arrives as the user sending its payload
        await oa_events.deliver_event(hook, oa_events.user_send_text(steps["payload"]), OA_SECRET)
        answer = (await fake_zalo_oa.wait_for_calls("message/cs", len(chunks) + 1))[len(chunks)]
        assert "Các bước thực hiện" in answer.params["message"]["text"]


@pytest.mark.parametrize("mode", ["bad", "missing"])
async def test_oa_signature_is_checked(fake_zalo_oa, oa_settings, matcher, mode):
    async with running(oa_settings, matcher) as url:
        result = await oa_events.deliver_event(f"{url}/webhooks/zalo-oa", oa_events.user_send_text("khai sinh"), OA_SECRET, mode=mode)
        assert result.status == 401
        await settle()
    assert not fake_zalo_oa.calls_to("message/cs")


async def test_oa_bare_signature_is_accepted(fake_zalo_oa, oa_settings, matcher):
    async with running(oa_settings, matcher) as url:
        result = await oa_events.deliver_event(f"{url}/webhooks/zalo-oa", oa_events.user_send_text("khai sinh"), OA_SECRET, mode="bare")
        assert result.status == 200
        await fake_zalo_oa.wait_for_calls("message/cs", 1)


async def test_oa_duplicates_and_echoes_are_ignored(fake_zalo_oa, oa_settings, matcher):
    async with running(oa_settings, matcher) as url:
        hook = f"{url}/webhooks/zalo-oa"
        event = oa_events.user_send_text("đăng ký kết hôn")
        for _ in range(3):
            assert (await oa_events.deliver_event(hook, event, OA_SECRET)).status == 200
        await oa_events.deliver_event(hook, oa_events.oa_send_text("Dạ, thủ tục phù hợp…"), OA_SECRET)
        await fake_zalo_oa.wait_for_calls("message/cs", 1)
        await settle()
    texts = [call.params["message"]["text"] for call in fake_zalo_oa.calls_to("message/cs")]
    assert texts[0].startswith("Dạ, thủ tục phù hợp") and len(texts) == len(set(texts))  # one reply, in parts


async def test_oa_expired_token_is_refreshed_and_kept(fake_zalo_oa, oa_settings, matcher):
    async with running(oa_settings, matcher) as url:
        fake_zalo_oa.fail_next(-216)
        await oa_events.deliver_event(f"{url}/webhooks/zalo-oa", oa_events.user_send_text("khai tử"), OA_SECRET)
        calls = await fake_zalo_oa.wait_for_calls("message/cs", 2)
        assert calls[0].response["error"] == -216 and calls[1].response["error"] == 0
        assert fake_zalo_oa.refresh_count == 1
    # a restart uses the rotated tokens from the database, not the spent ones in the settings
    async with running(oa_settings, matcher) as url:
        await oa_events.deliver_event(f"{url}/webhooks/zalo-oa", oa_events.user_send_text("kết hôn"), OA_SECRET)
        last = (await fake_zalo_oa.wait_for_calls("message/cs", 3))[2]
        assert last.response["error"] == 0 and fake_zalo_oa.refresh_count == 1


async def test_oa_outside_window_marks_the_user_and_429_is_retried(fake_zalo_oa, oa_settings, matcher):
    user = "7000000000000000001"
    async with running(oa_settings, matcher) as url:
        hook = f"{url}/webhooks/zalo-oa"
        fake_zalo_oa.fail_user(user, -230)
        await oa_events.deliver_event(hook, oa_events.user_send_text("khai sinh", user_id=user), OA_SECRET)
        await fake_zalo_oa.wait_for_calls("message/cs", 1)
        await settle()
        fake_zalo_oa.clear_scripts()
        fake_zalo_oa.fail_next_http(502, {"message": "bad gateway"})
        await oa_events.deliver_event(hook, oa_events.user_send_text("kết hôn"), OA_SECRET)
        calls = await fake_zalo_oa.wait_for_calls("message/cs", 3, timeout=10)
        assert calls[-1].response["error"] == 0
    [marked] = [u for u in await users(oa_settings.database_url) if u.user_id == user]
    assert not marked.reachable and marked.unreachable_reason == "outside 7-day window"


async def test_oa_stickers_get_a_polite_text_reply(fake_zalo_oa, oa_settings, matcher):
    async with running(oa_settings, matcher) as url:
        await oa_events.deliver_event(f"{url}/webhooks/zalo-oa", oa_events.user_send_sticker(), OA_SECRET)
        [sent] = await fake_zalo_oa.wait_for_calls("message/cs", 1)
        assert "tin nhắn chữ" in sent.params["message"]["text"]


async def test_bot_numbered_menu_and_choice(fake_zalo_bot, bot_settings, matcher):
    async with running(bot_settings, matcher) as url:
        hook = f"{url}/webhooks/zalo-bot"
        assert (await bot_events.deliver_event(hook, bot_events.text_event("/start"), BOT_SECRET)).status == 200
        [welcome] = await fake_zalo_bot.wait_for_calls("sendMessage", 1)
        text = welcome.params["text"]
        assert "Gõ số để chọn" in text and "1. Đăng ký khai sinh" in text
        await bot_events.deliver_event(hook, bot_events.text_event("1"), BOT_SECRET, wrapped=True)
        card = (await fake_zalo_bot.wait_for_calls("sendMessage", 2))[1]
        assert "1.001193" in card.params["text"] and len(card.params["text"]) <= 2000


async def test_bot_secret_duplicates_and_images(fake_zalo_bot, bot_settings, matcher):
    async with running(bot_settings, matcher) as url:
        hook = f"{url}/webhooks/zalo-bot"
        assert (await bot_events.deliver_event(hook, bot_events.text_event("khai sinh"), "wrong-secret")).status == 401
        assert (await bot_events.deliver_event(hook, bot_events.text_event("khai sinh"))).status == 401
        event = bot_events.text_event("đăng ký thường trú")
        for _ in range(2):
            await bot_events.deliver_event(hook, event, BOT_SECRET)
        await bot_events.deliver_event(hook, bot_events.image_event("https://example.invalid/a.jpg"), BOT_SECRET)
        sent = await fake_zalo_bot.wait_for_calls("sendMessage", 2)
        await settle()
    assert len(fake_zalo_bot.calls_to("sendMessage")) == 2
    assert "tin nhắn chữ" in sent[1].params["text"]


async def test_bot_long_replies_are_split(fake_zalo_bot, bot_settings, matcher):
    async with running(bot_settings, matcher) as url:
        hook = f"{url}/webhooks/zalo-bot"
        await bot_events.deliver_event(hook, bot_events.text_event("đăng ký khai sinh cần giấy tờ gì"), BOT_SECRET)
        [card] = await fake_zalo_bot.wait_for_calls("sendMessage", 1)
        assert "1. Xem đủ giấy tờ" in card.params["text"]  # the card is short; the full list is paged
        await bot_events.deliver_event(hook, bot_events.text_event("1"), BOT_SECRET)
        sent = await fake_zalo_bot.wait_for_calls("sendMessage", 3)  # the full list needs two messages
    assert all(len(call.params["text"]) <= 2000 and call.status == 200 for call in sent)
    assert "Giấy tờ cần có" in sent[1].params["text"]


@pytest.mark.parametrize("path", ["zalo-oa", "zalo-bot", "telegram"])
async def test_unconfigured_channels_are_not_found(tmp_path, matcher, path):
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    async with running(settings, matcher) as url, aiohttp.ClientSession() as http:
        async with http.post(f"{url}/webhooks/{path}", data=b"{}") as response:
            assert response.status == 404


def test_a_numbered_menu_does_not_number_a_choice_twice():
    reply = Reply(((Span("Xin chọn:"),),), ((Button("1. đăng ký khai sinh", "pick:1"),), (Button("Không phải", "none"),)))
    [text] = plain_chunks(reply, 2000, numbered=True)
    assert text.splitlines()[-2:] == ["1. đăng ký khai sinh", "2. Không phải"]
