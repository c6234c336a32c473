"""The real python-telegram-bot against a local fake of the Bot API, through our webhook route."""
import pytest
from fakes.telegram_updates import deliver_update, make_callback_update, make_start_update, make_text_update

from bot.channels.telegram import LIMIT, html_chunks
from bot.messages import Button, Reply
from bot.settings import Settings
from tests.channels.conftest import questions, running, settle, users

SECRET = "test-secret_1"
CHAT = 555


@pytest.fixture
def settings(fake_telegram, tmp_path):
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'tg.sqlite3'}",
        telegram_bot_token=fake_telegram.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=f"{fake_telegram.base_url}/bot",
    )


async def test_start_question_button_and_follow_up(fake_telegram, settings, matcher):
    async with running(settings, matcher) as url:
        hook = f"{url}/webhooks/telegram"
        assert fake_telegram.calls_to("getMe")  # initialize() at start-up
        assert (await deliver_update(hook, make_start_update(1, CHAT, "poster_cho-xa"), SECRET)).status == 200
        welcome = (await fake_telegram.wait_for_calls("sendMessage", 1))[0]
        assert "Trợ lý Một cửa" in welcome.params["text"] and welcome.params["parse_mode"] == "HTML"
        assert welcome.params["reply_markup"]["inline_keyboard"]

        await deliver_update(hook, make_text_update(2, CHAT, "đăng ký kết hôn cần giấy tờ gì"), SECRET)
        card = (await fake_telegram.wait_for_calls("sendMessage", 2))[1]
        assert "<b>" in card.params["text"] and "1.000894" in card.params["text"]
        buttons = [b for row in card.params["reply_markup"]["inline_keyboard"] for b in row]
        steps = next(b for b in buttons if b["text"] == "Các bước")

        await deliver_update(hook, make_callback_update(3, CHAT, steps["callback_data"], 7), SECRET)
        await fake_telegram.wait_for_calls("answerCallbackQuery", 1)
        answer = (await fake_telegram.wait_for_calls("sendMessage", 3))[2]
        assert "Các bước thực hiện" in answer.params["text"]

        await deliver_update(hook, make_text_update(4, CHAT, "còn lệ phí?"), SECRET)
        fee = (await fake_telegram.wait_for_calls("sendMessage", 4))[3]
        assert "Lệ phí" in fee.params["text"] and "kết hôn" in fee.params["text"]
    [user] = await users(settings.database_url)
    assert (user.channel, user.user_id, user.start_payload) == ("telegram", str(CHAT), "poster_cho-xa")
    assert [q.status for q in await questions(settings.database_url)] == ["answer"]


async def test_secret_is_checked(fake_telegram, settings, matcher):
    async with running(settings, matcher) as url:
        hook = f"{url}/webhooks/telegram"
        assert (await deliver_update(hook, make_text_update(1, CHAT, "khai sinh"))).status == 403
        assert (await deliver_update(hook, make_text_update(2, CHAT, "khai sinh"), "wrong")).status == 403
        await settle()
    assert not fake_telegram.calls_to("sendMessage")


async def test_duplicate_updates_are_answered_once(fake_telegram, settings, matcher):
    async with running(settings, matcher) as url:
        hook = f"{url}/webhooks/telegram"
        update = make_text_update(10, CHAT, "đăng ký tạm trú")
        for _ in range(3):
            assert (await deliver_update(hook, update, SECRET)).status == 200
        await fake_telegram.wait_for_calls("sendMessage", 1)
        await settle()
    assert len(fake_telegram.calls_to("sendMessage")) == 1


async def test_rate_limit_is_retried_and_blocked_users_are_marked(fake_telegram, settings, matcher):
    async with running(settings, matcher) as url:
        hook = f"{url}/webhooks/telegram"
        fake_telegram.fail_next("sendMessage", 429, retry_after=1)
        await deliver_update(hook, make_text_update(20, CHAT, "đăng ký khai tử"), SECRET)
        sent = await fake_telegram.wait_for_calls("sendMessage", 2, timeout=10)
        assert sent[0].scripted and not sent[1].scripted  # the reply was not lost
        fake_telegram.fail_next("sendMessage", 403)
        await deliver_update(hook, make_text_update(21, 777, "đăng ký khai tử"), SECRET)
        await fake_telegram.wait_for_calls("sendMessage", 3)
        await settle()
    blocked = [u for u in await users(settings.database_url) if u.user_id == "777"]
    assert blocked and not blocked[0].reachable and blocked[0].unreachable_reason == "blocked"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"update_id": 5, "edited_message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}}}',
     b'{"update_id": 6, "message": {"message_id": 2, "date": 1, "chat": {"id": 5, "type": "private"}, '
     b'"from": {"id": 5, "is_bot": false, "first_name": "U"}, "sticker": {"file_id": "x", "file_unique_id": "y", '
     b'"type": "regular", "width": 1, "height": 1, "is_animated": false, "is_video": false}}}'],
)
async def test_bad_and_unknown_updates_never_fail(fake_telegram, settings, matcher, body):
    import aiohttp

    async with running(settings, matcher) as url, aiohttp.ClientSession() as http:
        async with http.post(f"{url}/webhooks/telegram", data=body,
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
            assert response.status == 200
        await settle()
        async with http.get(f"{url}/healthz") as health:
            assert health.status == 200


async def test_long_text_and_markup_in_questions(fake_telegram, settings, matcher):
    async with running(settings, matcher) as url:
        hook = f"{url}/webhooks/telegram"
        await deliver_update(hook, make_text_update(30, CHAT, "<b>đăng ký</b> khai sinh " + "x" * 20000), SECRET)
        await deliver_update(hook, make_text_update(31, CHAT, "<script>alert(1)</script> & <i>"), SECRET)
        sent = await fake_telegram.wait_for_calls("sendMessage", 2)
    assert all(call.status == 200 for call in sent)  # the fake rejects bad HTML and > 4096 characters


def test_long_replies_are_split_with_the_keyboard_last():
    reply = Reply.of(*[f"Dòng {n}: " + "giấy tờ & <chứng thực> " * 10 for n in range(60)],
                     buttons=((Button("Lệ phí", "aspect:fee:1.001193"),),))
    chunks = html_chunks(reply)
    assert len(chunks) > 1 and all(len(c) <= LIMIT for c in chunks)
    assert "&lt;chứng thực&gt;" in chunks[0]


async def test_poll_telegram_without_a_public_url(fake_telegram, settings, matcher):
    import asyncio

    from bot.app import poll_telegram

    stop = asyncio.Event()
    task = asyncio.create_task(poll_telegram(settings, stop, matcher))
    await fake_telegram.wait_for_calls("getUpdates", 1, timeout=15)
    fake_telegram.push_update(make_text_update(40, CHAT, "đăng ký khai sinh"))
    [sent] = await fake_telegram.wait_for_calls("sendMessage", 1, timeout=10)
    assert "1.001193" in sent.params["text"]
    stop.set()
    await asyncio.wait_for(task, 15)
    assert fake_telegram.calls_to("deleteWebhook")
