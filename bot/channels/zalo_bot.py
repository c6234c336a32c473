"""Zalo Bot Platform (Telegram-like): webhook with a secret header, JSON sendMessage, no buttons."""
from __future__ import annotations

import hmac
import json
import logging

import aiohttp
from aiohttp import web

from bot.channels.base import SENT, Outcome, QueuedChannel, deliver, plain_chunks
from bot.dispatcher import ChatService
from bot.messages import IncomingMessage, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)
LIMIT = 2000
WEBHOOK_PATH = "/webhooks/zalo-bot"


def incoming(body: dict) -> IncomingMessage | None:
    """The internal message of a webhook body, flat or wrapped in {"ok", "result"}."""
    event = body.get("result") if isinstance(body.get("result"), dict) else body
    name = str(event.get("event_name", ""))
    message = event.get("message") if isinstance(event.get("message"), dict) else None
    if message is None:
        return None
    chat = str((message.get("chat") or {}).get("id", ""))
    sender = message.get("from") or {}
    user = str(sender.get("id", "")) or chat
    if not chat or sender.get("is_bot"):
        return None
    key = f"zbot:{name}:{message.get('message_id')}"
    if name == "message.text.received":
        text = str(message.get("text", ""))
        if text.startswith("/") and len(text) > 1:
            words = text[1:].split()
            return IncomingMessage("zalo_bot", chat, user, "command", text=text, command=words[0].lower(),
                                   args=tuple(words[1:]), dedupe_key=key)
        return IncomingMessage("zalo_bot", chat, user, "text", text=text, dedupe_key=key)
    if name.startswith("message."):
        return IncomingMessage("zalo_bot", chat, user, "event", text="unsupported", dedupe_key=key)
    return None


class ZaloBotChannel(QueuedChannel):
    name = "zalo_bot"

    def __init__(self, settings: Settings, service: ChatService):
        assert settings.zalo_bot_token and settings.zalo_bot_webhook_secret
        super().__init__(service)
        self._token = settings.zalo_bot_token.get_secret_value()
        self._secret = settings.zalo_bot_webhook_secret.get_secret_value()
        self._base = settings.zalo_bot_api_base_url.rstrip("/")
        self._public_base_url = settings.public_base_url

    def _url(self, method: str) -> str:
        return f"{self._base}/bot{self._token}/{method}"  # holds the token: never logged

    def recipient(self, message: IncomingMessage) -> str:
        return message.conversation_id

    async def prepare(self) -> None:
        assert self._http is not None
        if self._public_base_url:
            url = self._public_base_url.rstrip("/") + WEBHOOK_PATH
            async with self._http.post(self._url("setWebhook"), json={"url": url, "secret_token": self._secret}) as r:
                if r.status != 200:
                    log.error("zalo_bot: setWebhook failed (HTTP %s)", r.status)

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            return web.Response(status=401)
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        message = incoming(body) if isinstance(body, dict) else None
        if message is not None and self.service.first_time(message.dedupe_key):
            self.inbox.put(message)
        return web.json_response({"ok": True})

    async def send(self, chat_id: str, reply: Reply) -> Outcome:
        for chunk in plain_chunks(reply, LIMIT, numbered=True):
            outcome = await deliver(lambda: self._post(chat_id, chunk))
            if outcome.kind != "sent":
                log.warning("zalo_bot: message not delivered (%s: %s)", outcome.kind, outcome.reason)
                return outcome
        return SENT

    async def _post(self, chat_id: str, text: str) -> Outcome:
        assert self._http is not None
        try:
            async with self._http.post(self._url("sendMessage"), json={"chat_id": chat_id, "text": text}) as response:
                status = response.status
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return Outcome("retry", type(exc).__name__)
        if status == 200 and isinstance(data, dict) and data.get("ok"):
            return SENT
        if status == 429:
            after = ((data or {}).get("parameters") or {}).get("retry_after") if isinstance(data, dict) else None
            return Outcome("retry", "429", float(after) if after else None)
        if status == 403:
            return Outcome("unreachable", "blocked")
        if status >= 500:
            return Outcome("retry", f"http {status}")
        return Outcome("failed", f"http {status}")
