"""A faithful local fake of the Telegram Bot API for python-telegram-bot v22.

Point PTB at it with ``Bot(token, base_url=f"{url}/bot")`` or
``ApplicationBuilder().token(token).base_url(f"{url}/bot")``.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from typing import Any
from urllib.parse import urlsplit

from .base import Params
from .bot_api import ApiError, BotAPIFake, MethodHandler
from .telegram_html import EntityParseError, parse_html

DEFAULT_TOKEN = "42:ABC-fake-token"  # bot id 42, as in channels.md 1.3
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
WEBHOOK_PORTS = {80, 88, 443, 8443}
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}
# Form fields that are plain strings on the wire: never JSON-decode them.
STRING_FIELDS = {
    "text", "parse_mode", "callback_query_id", "inline_message_id", "url", "secret_token",
    "caption", "action", "ip_address", "business_connection_id", "message_effect_id",
    "emoji", "custom_emoji_id", "question", "title", "description", "payload", "currency",
    "photo", "document", "audio", "video", "voice", "animation", "sticker", "thumbnail",
    "first_name", "last_name", "phone_number", "vcard", "address", "foursquare_id",
    "language_code", "name", "query", "start_parameter", "provider_token",
}
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a content and reply markup of the current message"
)
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def bad_request(detail: str) -> ApiError:
    """A 400 ``Bad Request: <detail>`` error."""
    return ApiError(400, f"Bad Request: {detail}")


def decode_form_value(name: str, value: Any) -> Any:
    """Undo PTB's JSON encoding of non-string values (ints, bools, lists, dicts)."""
    if name in STRING_FIELDS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def chat_for(chat_id: int | str) -> dict[str, Any]:
    """A Chat object for ``chat_id`` (positive → private, negative → group, @name → channel)."""
    if isinstance(chat_id, str) and chat_id.startswith("@"):
        fake_id = -1000000000000 - zlib.crc32(chat_id.encode()) % 10**9
        return {"id": fake_id, "type": "channel", "title": chat_id[1:], "username": chat_id[1:]}
    numeric = int(chat_id)
    if numeric > 0:
        return {"id": numeric, "type": "private", "first_name": "U"}
    kind = "supergroup" if str(numeric).startswith("-100") else "group"
    return {"id": numeric, "type": kind, "title": "Fake group"}


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate ``reply_markup`` like Telegram; return it (``None`` if absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
    for button in (b for row in rows for b in row):
        check_inline_button(button)
    return markup


def check_inline_button(button: Any) -> None:
    """Validate one InlineKeyboardButton."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    actions = set(button) - {"text"}
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in "
                          "the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not (isinstance(button["url"], str) and button["url"]):
        raise bad_request("BUTTON_URL_INVALID")


class FakeTelegramAPI(BotAPIFake):
    """Fake Telegram Bot API at ``/bot{token}/{method}``.

    State a test can inspect: ``calls`` (every request), ``messages`` (current message
    state keyed by ``(chat_id, message_id)``), ``answered_callbacks``, ``webhook``
    (``None`` or the setWebhook params) and ``updates`` (pending getUpdates queue).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        strict_edits: bool = False,
        allow_any_webhook_url: bool = False,
        max_poll_timeout: float | None = None,
    ) -> None:
        """``strict_edits``: editing an unknown message → "message to edit not found"
        (default: accept it as if the bot had sent it). ``allow_any_webhook_url``: skip
        the HTTPS/port checks of setWebhook. ``max_poll_timeout`` caps getUpdates waits.
        """
        super().__init__(token, max_poll_timeout=max_poll_timeout)
        self.strict_edits = strict_edits
        self.allow_any_webhook_url = allow_any_webhook_url
        prefix = token.split(":", 1)[0]
        self.bot_user: dict[str, Any] = {
            "id": int(prefix) if prefix.isdigit() else 42,
            "is_bot": True,
            "first_name": "Fake",
            "username": "fake_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self.answered_callbacks: list[Params] = []
        self.webhook: Params | None = None
        self._last_message_id: dict[int | str, int] = {}
        self._last_update_id = 0

    def api_methods(self) -> dict[str, MethodHandler]:
        return {
            "getMe": self.get_me,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendChatAction": self.send_chat_action,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "getUpdates": self.get_updates,
        }

    def decode_params(self, params: Params, kind: str) -> Params:
        if kind in ("form", "multipart"):
            return {name: decode_form_value(name, value) for name, value in params.items()}
        return params

    # -- test helpers -------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (assigns ``update_id`` if missing)."""
        update = dict(update)
        update.setdefault("update_id", self._last_update_id + 1)
        self._last_update_id = max(self._last_update_id, update["update_id"])
        self.updates.push(update)
        return update

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Current state of messages the bot sent (optionally to one chat), oldest first."""
        return [m for (chat, _), m in self.messages.items() if chat_id in (None, chat)]

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """Plain texts of :meth:`sent_messages`."""
        return [m.get("text", "") for m in self.sent_messages(chat_id)]

    # -- shared validation --------------------------------------------------------
    @staticmethod
    def _chat_id(params: Params) -> int | str:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and not chat_id.startswith("@"):
            try:
                return int(chat_id)
            except ValueError:
                raise bad_request("chat not found") from None
        return chat_id

    @staticmethod
    def _render_text(params: Params) -> tuple[str, list[dict[str, Any]]]:
        raw = params.get("text")
        if raw in (None, ""):
            raise bad_request("message text is empty")
        source = str(raw)
        entities: list[dict[str, Any]] = list(params.get("entities") or [])
        if str(params.get("parse_mode") or "").lower() == "html":
            try:
                parsed = parse_html(source)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            source, entities = parsed.text, parsed.entities
        if not source.strip():
            raise bad_request("message text is empty")
        if len(source) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return source, entities

    def _store(self, chat_id: int | str, message: dict[str, Any]) -> dict[str, Any]:
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _new_message(self, chat_id: int | str) -> dict[str, Any]:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return {
            "message_id": message_id,
            "from": dict(self.bot_user),
            "chat": chat_for(chat_id),
            "date": int(time.time()),
        }

    @staticmethod
    def _apply_content(
        message: dict[str, Any], text: str, entities: list[dict[str, Any]], markup: Any
    ) -> None:
        message["text"] = text
        message.pop("entities", None)
        message.pop("reply_markup", None)
        if entities:
            message["entities"] = entities
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup

    def _message_to_edit(self, params: Params) -> tuple[int | str, dict[str, Any]]:
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        message = self.messages.get((chat_id, message_id))
        if message is None:
            if self.strict_edits:
                raise bad_request("message to edit not found")
            message = {**self._new_message(chat_id), "message_id": message_id, "text": ""}
        return chat_id, message

    # -- methods ------------------------------------------------------------------
    async def get_me(self, params: Params) -> dict[str, Any]:
        return dict(self.bot_user)

    async def send_message(self, params: Params) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text, entities = self._render_text(params)
        markup = check_reply_markup(params.get("reply_markup"))
        message = self._new_message(chat_id)
        self._apply_content(message, text, entities, markup)
        return self._store(chat_id, message)

    async def edit_message_text(self, params: Params) -> dict[str, Any] | bool:
        text, entities = self._render_text(params)
        markup = check_reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        chat_id, message = self._message_to_edit(params)
        edited = dict(message)
        self._apply_content(edited, text, entities, markup)
        if all(edited.get(k) == message.get(k) for k in ("text", "entities", "reply_markup")):
            raise bad_request(NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        return self._store(chat_id, edited)

    async def edit_message_reply_markup(self, params: Params) -> dict[str, Any] | bool:
        markup = check_reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        chat_id, message = self._message_to_edit(params)
        edited = dict(message)
        self._apply_content(edited, message.get("text", ""), message.get("entities", []), markup)
        if edited.get("reply_markup") == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        return self._store(chat_id, edited)

    async def delete_message(self, params: Params) -> bool:
        chat_id = self._chat_id(params)
        key = (chat_id, params.get("message_id"))
        if key not in self.messages and self.strict_edits:
            raise bad_request("message to delete not found")
        self.messages.pop(key, None)  # type: ignore[arg-type]
        return True

    async def answer_callback_query(self, params: Params) -> bool:
        if not params.get("callback_query_id"):
            raise bad_request("QUERY_ID_INVALID")
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self.answered_callbacks.append(params)
        return True

    async def send_chat_action(self, params: Params) -> bool:
        self._chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self.delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if not self.allow_any_webhook_url:
            self._check_webhook_url(url)
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = dict(params)
        return True

    @staticmethod
    def _check_webhook_url(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if (parts.port or 443) not in WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )

    async def delete_webhook(self, params: Params) -> bool:
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = None
        return True

    async def get_webhook_info(self, params: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.items),
        }
        if self.webhook:
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if self.webhook.get("allowed_updates") is not None:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.updates.items[:] = [u for u in self.updates.items if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        await self.updates.wait_nonempty(self.poll_timeout(params.get("timeout")))
        return self.updates.items[:limit]
