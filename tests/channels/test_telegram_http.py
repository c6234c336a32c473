"""PTB's transport on aiohttp: JSON bodies with nested objects, multipart for files, errors mapped
to PTB's own (so retries and backoff work as with its default client)."""
import asyncio
import json

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram_http import AiohttpRequest


@pytest.fixture
async def api():
    seen: list[tuple[str, str, bytes]] = []

    async def method(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append((request.match_info["method"], request.content_type, body))
        name = request.match_info["method"]
        if name == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "B", "username": "b_bot"}
        elif name == "slow":
            await asyncio.sleep(2)
            result = True
        else:
            result = {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "ok"}
        return web.json_response({"ok": True, "result": result})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", method)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/bot", seen
    await runner.cleanup()


async def test_json_body_with_nested_markup(api) -> None:
    base, seen = api
    bot = Bot("1:abc", base_url=base, request=AiohttpRequest())
    async with bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Lệ phí", callback_data="aspect:fee:1.000894")]])
        await bot.send_message(5, "Dạ, <b>đăng ký kết hôn</b>", parse_mode="HTML", reply_markup=markup)
    name, content_type, body = seen[-1]
    payload = json.loads(body)
    assert (name, content_type) == ("sendMessage", "application/json")
    assert payload["text"] == "Dạ, <b>đăng ký kết hôn</b>" and payload["chat_id"] == 5
    assert payload["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "aspect:fee:1.000894"


async def test_files_go_as_multipart(api) -> None:
    base, seen = api
    bot = Bot("1:abc", base_url=base, request=AiohttpRequest())
    async with bot:
        await bot.send_document(5, document=b"%PDF-1.4 phieu", filename="phieu.pdf", caption="Phiếu")
    name, content_type, body = seen[-1]
    assert (name, content_type) == ("sendDocument", "multipart/form-data")
    assert b"phieu.pdf" in body and "Phiếu".encode() in body


async def test_errors_become_ptb_errors(api) -> None:
    base, _ = api
    request = AiohttpRequest(connect_timeout=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):  # nothing listens on port 9
            await request.do_request("http://127.0.0.1:9/bot1:abc/getMe", "POST")
    finally:
        await request.shutdown()
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}1:abc/slow", "POST")
    finally:
        await request.shutdown()
