"""Builders for realistic Telegram ``Update`` dicts and a webhook sender.

The shapes follow channels.md 1.1; feed them to ``Update.de_json(update, bot)``,
``FakeTelegramAPI.push_update`` or POST them with :func:`deliver_update`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp

from .base import WebhookResult, post_webhook

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_DATE = 1700000000
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def make_user(user_id: int, first_name: str = "U", **extra: Any) -> dict[str, Any]:
    """A non-bot ``User`` (extra fields such as ``username``/``language_code`` pass through)."""
    return {"id": user_id, "is_bot": False, "first_name": first_name, **extra}


def make_chat(chat_id: int, first_name: str = "U") -> dict[str, Any]:
    """A private ``Chat`` (negative ids give a group)."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": first_name}
    return {"id": chat_id, "type": "group", "title": "Group"}


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities Telegram attaches to a leading ``/command``."""
    match = _COMMAND.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group(0))}]


def make_message(
    chat_id: int,
    text: str,
    *,
    message_id: int = 1,
    user_id: int | None = None,
    first_name: str = "U",
    date: int = DEFAULT_DATE,
) -> dict[str, Any]:
    """A user's text ``Message`` with command entities."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": date,
        "chat": make_chat(chat_id, first_name),
        "from": make_user(user_id if user_id is not None else chat_id, first_name),
        "text": text,
    }
    if entities := command_entities(text):
        message["entities"] = entities
    return message


def make_text_update(
    update_id: int,
    chat_id: int,
    text: str,
    *,
    message_id: int | None = None,
    user_id: int | None = None,
    first_name: str = "U",
    date: int = DEFAULT_DATE,
) -> dict[str, Any]:
    """``{"update_id", "message": {...}}`` for a text (or ``/command``) message."""
    message = make_message(
        chat_id, text, message_id=message_id if message_id is not None else update_id,
        user_id=user_id, first_name=first_name, date=date,
    )
    return {"update_id": update_id, "message": message}


def make_command_update(
    update_id: int, chat_id: int, command: str, *args: str, **kwargs: Any
) -> dict[str, Any]:
    """``/command arg1 arg2`` as a text update (``command`` without the slash)."""
    text = " ".join([f"/{command.lstrip('/')}", *args])
    return make_text_update(update_id, chat_id, text, **kwargs)


def make_start_update(
    update_id: int, chat_id: int, payload: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    """``/start [payload]`` as sent after a deep link ``t.me/<bot>?start=<payload>``."""
    args = (payload,) if payload else ()
    return make_command_update(update_id, chat_id, "start", *args, **kwargs)


def make_callback_update(
    update_id: int,
    chat_id: int,
    data: str,
    message_id: int,
    *,
    callback_id: str | None = None,
    user_id: int | None = None,
    message_text: str = "Hi",
    bot_id: int = 42,
    date: int = DEFAULT_DATE,
) -> dict[str, Any]:
    """A ``callback_query`` for an inline button on the bot's message ``message_id``."""
    user = make_user(user_id if user_id is not None else chat_id)
    message = {
        "message_id": message_id,
        "date": date,
        "chat": make_chat(chat_id),
        "from": {"id": bot_id, "is_bot": True, "first_name": "Fake", "username": "fake_bot"},
        "text": message_text,
    }
    query = {
        "id": callback_id or f"cbq{update_id}",
        "chat_instance": f"ci{chat_id}",
        "data": data,
        "from": user,
        "message": message,
    }
    return {"update_id": update_id, "callback_query": query}


def encode_update(update: dict[str, Any]) -> bytes:
    """Serialise an update the way Telegram does (UTF-8 JSON)."""
    return json.dumps(update, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def deliver_update(
    url: str,
    update: dict[str, Any],
    secret_token: str | None = None,
    session: aiohttp.ClientSession | None = None,
) -> WebhookResult:
    """POST ``update`` to an app's webhook with the secret header (omitted when ``None``)."""
    headers = {SECRET_HEADER: secret_token} if secret_token is not None else {}
    return await post_webhook(url, encode_update(update), headers, session)
