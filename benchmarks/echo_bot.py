"""The reference for the webhook benchmark: a minimal python-telegram-bot echo bot behind the
same kind of aiohttp webhook route (secret check, Update.de_json, update_queue)."""
from __future__ import annotations

import asyncio
import hmac
import os
import sys

from aiohttp import web
from telegram import Update
from telegram.ext import Application, MessageHandler, filters


async def echo(update: Update, context) -> None:
    await update.message.reply_text(update.message.text)


async def main(port: int) -> None:
    secret = os.environ["TELEGRAM_WEBHOOK_SECRET"]
    application = (
        Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"]).updater(None).build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return web.Response(status=200)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/webhooks/telegram", webhook)
    app.router.add_get("/healthz", healthz)
    async with application:
        await application.start()
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
