"""The update builders produce updates PTB handles like real ones."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fakes.telegram_api import FakeTelegramAPI
from fakes.telegram_updates import (
    SECRET_HEADER,
    deliver_update,
    make_callback_update,
    make_start_update,
    make_text_update,
)

from .helpers import Capture


async def test_start_payload_and_callback_through_application(
    fake_telegram: FakeTelegramAPI,
) -> None:
    seen: dict[str, Any] = {}

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen["args"] = context.args
        await update.message.reply_html("<b>Chào</b>")

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("ok!")
        await update.callback_query.edit_message_text(f"Chose {update.callback_query.data}")

    app = (ApplicationBuilder().token(fake_telegram.token)
           .base_url(f"{fake_telegram.base_url}/bot").updater(None).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    async with app:
        for raw in (make_start_update(1000, 555, "ref_abc-123"),
                    make_callback_update(1001, 555, "v:yes", 7)):
            await app.process_update(Update.de_json(raw, app.bot))
    assert seen["args"] == ["ref_abc-123"]
    assert fake_telegram.last_call("sendMessage").params["parse_mode"] == "HTML"
    assert fake_telegram.last_call("answerCallbackQuery").params["callback_query_id"] == "cbq1001"
    assert fake_telegram.last_call("editMessageText").params["message_id"] == 7
    assert fake_telegram.sent_texts(555) == ["Chào", "Chose v:yes"]


def test_text_update_shape() -> None:
    update = make_text_update(5, 555, "/help@fake_bot now")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 14}]
    assert "entities" not in make_text_update(6, 555, "hi")["message"]


async def test_deliver_update_sends_secret_header(capture: Capture) -> None:
    update = make_text_update(1, 555, "hi")
    result = await deliver_update(capture.url, update, "S")
    await deliver_update(capture.url, update)
    assert (result.status, result.text) == (200, "ok")
    (first_headers, first_body), (second_headers, _) = capture.requests
    assert first_headers[SECRET_HEADER] == "S" and SECRET_HEADER not in second_headers
    assert first_headers["Content-Type"] == "application/json"
    assert json.loads(first_body) == update


async def test_ptb_long_polling_receives_pushed_update(fake_telegram: FakeTelegramAPI) -> None:
    received = asyncio.Event()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)
        received.set()

    app = (ApplicationBuilder().token(fake_telegram.token)
           .base_url(f"{fake_telegram.base_url}/bot").build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake_telegram.push_update(make_text_update(1, 555, "ping"))
        await asyncio.wait_for(received.wait(), 5)
        await app.updater.stop()
        await app.stop()
    assert fake_telegram.sent_texts(555) == ["ping"]
    assert fake_telegram.calls_to("deleteWebhook")
    assert fake_telegram.updates.items == []  # confirmed via offset on shutdown
