"""The real python-telegram-bot 22 client against FakeTelegramAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, ApplicationBuilder

from fakes.telegram_api import FakeTelegramAPI
from fakes.telegram_updates import make_text_update

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Yes", callback_data="v:yes"),
      InlineKeyboardButton("Docs", url="https://example.com")]]
)


def retry_seconds(exc: RetryAfter) -> float:
    """``retry_after`` as seconds, whether PTB gives an int or a timedelta."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def test_initialize_calls_get_me(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    (call,) = fake_telegram.calls_to("getMe")
    assert call.http_method == "POST" and call.params == {}
    assert bot.username == "fake_bot" and bot.id == 42


async def test_send_message_records_parsed_params(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    message = await bot.send_message(555, "<b>Hi</b> &amp; bye", parse_mode="HTML",
                                     reply_markup=KEYBOARD)
    call = fake_telegram.last_call("sendMessage")
    assert call.params["chat_id"] == 555
    assert call.params["text"] == "<b>Hi</b> &amp; bye"
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"] == {"inline_keyboard": [[
        {"callback_data": "v:yes", "text": "Yes"},
        {"text": "Docs", "url": "https://example.com"},
    ]]}
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert message.text == "Hi & bye"
    assert message.entities[0].type == "bold" and message.entities[0].length == 2
    assert message.reply_markup == KEYBOARD
    second = await bot.send_message(555, "again")
    assert second.message_id == message.message_id + 1
    assert fake_telegram.sent_texts(555) == ["Hi & bye", "again"]


async def test_scripted_429_raises_retry_after(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    fake_telegram.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(555, "x")
    assert retry_seconds(caught.value) == 3
    assert fake_telegram.last_call("sendMessage").response == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    await bot.send_message(555, "x")  # the script was used up


async def test_scripted_403_raises_forbidden(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    fake_telegram.fail_next("sendMessage", 403, match=lambda p: p["chat_id"] == 7)
    await bot.send_message(8, "other chat is fine")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(7, "x")


async def test_scripted_5xx_raises_network_error(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    fake_telegram.fail_next("*", 502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(555, "x")
    await bot.send_message(555, "x")


async def test_bad_html_raises_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match='Can\'t parse entities: unsupported start tag "div"'):
        await bot.send_message(555, "<div>x</div>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="can't find end tag"):
        await bot.send_message(555, "<b>x", parse_mode="HTML")


async def test_too_long_text_raises_bad_request(bot: Bot) -> None:
    await bot.send_message(555, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(555, "a" * 4097)


async def test_callback_data_over_64_bytes_rejected(bot: Bot) -> None:
    await bot.send_message(555, "ok", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("a", callback_data="é" * 32)]]))
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(555, "x", reply_markup=too_long)


async def test_answer_callback_and_edit(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    assert await bot.answer_callback_query("cbq1", text="ok!") is True
    assert fake_telegram.answered_callbacks[0]["callback_query_id"] == "cbq1"
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query("cbq1", text="x" * 201)
    sent = await bot.send_message(555, "Hi", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Done", chat_id=555, message_id=sent.message_id)
    assert edited.text == "Done" and edited.reply_markup is None and edited.edit_date
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Done", chat_id=555, message_id=sent.message_id)


async def test_wrong_token_raises_invalid_token(fake_telegram: FakeTelegramAPI) -> None:
    wrong = Bot("42:wrong", base_url=f"{fake_telegram.base_url}/bot")
    with pytest.raises(InvalidToken):
        await wrong.initialize()
    assert fake_telegram.last_call("getMe").status == 401


async def test_webhook_and_get_updates(fake_telegram: FakeTelegramAPI, bot: Bot) -> None:
    await bot.set_webhook("https://example.com/tg/webhook", secret_token="s3cret_-",
                          allowed_updates=Update.ALL_TYPES)
    params = fake_telegram.last_call("setWebhook").params
    assert params["allowed_updates"] == list(Update.ALL_TYPES)
    assert (await bot.get_webhook_info()).url == "https://example.com/tg/webhook"
    with pytest.raises(Conflict):
        await bot.get_updates()
    with pytest.raises(BadRequest, match="Bad webhook"):
        await bot.set_webhook("http://127.0.0.1:9999/hook")
    await bot.delete_webhook()
    fake_telegram.push_update(make_text_update(7, 555, "xin chào"))
    (update,) = await bot.get_updates(timeout=1)
    assert update.message.text == "xin chào"
    assert await bot.get_updates(offset=8, timeout=0) == ()


async def test_rate_limiter_retries_after_scripted_429(fake_telegram: FakeTelegramAPI) -> None:
    fake_telegram.fail_next("sendMessage", 429, retry_after=1)
    app = (ApplicationBuilder().token(fake_telegram.token)
           .base_url(f"{fake_telegram.base_url}/bot").updater(None)
           .rate_limiter(AIORateLimiter(max_retries=1)).build())
    async with app:
        await app.bot.send_message(555, "x")
    first, second = await fake_telegram.wait_for_calls("sendMessage", 2)
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0
