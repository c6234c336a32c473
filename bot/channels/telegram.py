"""Telegram through python-telegram-bot 22 behind the service's own aiohttp route."""
from __future__ import annotations

import asyncio
import hmac
import html
import logging
import re
import warnings
from collections.abc import Awaitable
from typing import Any

from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, BaseUpdateProcessor, ContextTypes, TypeHandler

from bot.channels.base import SENT, Outcome, answer, deliver
from bot.channels.split import split_lines
from bot.channels.telegram_http import AiohttpRequest
from bot.dispatcher import ChatService
from bot.messages import IncomingMessage, Reply
from bot.render import span_html
from bot.settings import Settings

log = logging.getLogger(__name__)
LIMIT = 4096
WEBHOOK_PATH = "/webhooks/telegram"
_TAG = re.compile(r"<[^>]+>")
# a few updates in flight hide network waits; more makes httpcore's pool scans cost more than they save
CONCURRENT_UPDATES = 4


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates of different chats are handled concurrently; one chat's updates in order."""

    def __init__(self, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else 0
        lock = self._locks.setdefault(chat, asyncio.Lock())
        try:
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and not lock._waiters:
                self._locks.pop(chat, None)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def incoming(update: Update) -> IncomingMessage | None:
    """The internal message for an update; None for updates the bot does not answer."""
    key = f"tg:{update.update_id}"
    if update.callback_query and update.callback_query.data and update.callback_query.message:
        query = update.callback_query
        chat_id = str(query.message.chat.id)
        return IncomingMessage("telegram", chat_id, str(query.from_user.id), "action", action=query.data, dedupe_key=key)
    message = update.message
    if message is None or message.chat.type != "private" or message.from_user is None:
        return None
    chat_id, user_id = str(message.chat.id), str(message.from_user.id)
    text = message.text or ""
    if not text:
        return IncomingMessage("telegram", chat_id, user_id, "event", text="unsupported", dedupe_key=key)
    if text.startswith("/") and len(text) > 1:
        words = text[1:].split()
        command = words[0].split("@")[0].lower() if words else ""
        return IncomingMessage("telegram", chat_id, user_id, "command", text=text, command=command,
                               args=tuple(words[1:]), dedupe_key=key)
    return IncomingMessage("telegram", chat_id, user_id, "text", text=text, dedupe_key=key)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label[:64], url=b.url) if b.url else InlineKeyboardButton(b.label[:64], callback_data=b.action)
          for b in row] for row in reply.buttons]
    )


def html_chunks(reply: Reply) -> list[str]:
    """HTML per line (every line balanced), split at line boundaries within Telegram's limit."""
    return split_lines(["".join(span_html(s) for s in line) for line in reply.lines], LIMIT)


class TelegramChannel:
    name = "telegram"

    def __init__(self, settings: Settings, service: ChatService, application: Application | None = None):
        assert settings.telegram_bot_token is not None
        self.service = service
        self._secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None
        self._public_base_url = settings.public_base_url
        self.application = application or (
            Application.builder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(settings.telegram_api_base_url)
            .updater(None)
            .concurrent_updates(ChatOrderedProcessor(CONCURRENT_UPDATES))
            .request(AiohttpRequest(connection_pool_size=CONCURRENT_UPDATES))
            .build()  # replies are not paced (429s are retried by deliver); broadcasts pace themselves
        )
        self.application.add_handler(TypeHandler(Update, self.on_update))

    async def start(self) -> None:
        await self.application.initialize()  # getMe: a wrong token fails here, at start-up
        await self.application.start()
        if self._public_base_url:
            await self.application.bot.set_webhook(
                url=self._public_base_url.rstrip("/") + WEBHOOK_PATH,
                secret_token=self._secret,
                allowed_updates=["message", "callback_query"],
            )

    async def stop(self) -> None:
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if self._secret is None or not hmac.compare_digest(given.encode(), self._secret.encode()):
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.application.bot)
        except Exception:  # malformed body: answered 200 so Telegram does not retry it forever
            log.warning("telegram: ignored a malformed update")
            return web.Response(status=200)
        if update is not None and self.service.first_time(f"tg:{update.update_id}"):
            await self.application.update_queue.put(update)
        return web.Response(status=200)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query:
            try:
                await update.callback_query.answer()
            except TelegramError:
                log.warning("telegram: could not answer a callback query")
        message = incoming(update)
        if message is not None:
            await answer(self.service, self.name, message, lambda reply: self.send(int(message.conversation_id), reply))

    async def send_to(self, recipient: str, reply: Reply) -> Outcome:
        """A proactive message to a chat (the outbox's entry point)."""
        return await self.send(int(recipient), reply)

    async def send(self, chat_id: int, reply: Reply) -> Outcome:
        chunks = html_chunks(reply)
        for n, chunk in enumerate(chunks):
            markup = keyboard(reply) if n == len(chunks) - 1 else None
            outcome = await deliver(lambda: self._send_chunk(chat_id, chunk, markup))
            if outcome.kind != "sent":
                log.warning("telegram: message not delivered (%s: %s)", outcome.kind, outcome.reason)
                return outcome
        return SENT

    async def _send_chunk(self, chat_id: int, text: str, markup) -> Outcome:
        bot = self.application.bot
        try:
            await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True))
            return SENT
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
                warnings.simplefilter("ignore")
                after = exc.retry_after
            return Outcome("retry", "429", after if isinstance(after, (int, float)) else after.total_seconds())
        except Forbidden:
            return Outcome("unreachable", "blocked")
        except BadRequest as exc:
            if "parse entities" in str(exc).lower():  # markup the platform refuses: send it plain
                await bot.send_message(chat_id, html.unescape(_TAG.sub("", text)), reply_markup=markup)
                return SENT
            return Outcome("failed", "bad request")
        except NetworkError as exc:  # includes TimedOut
            return Outcome("retry", type(exc).__name__)
