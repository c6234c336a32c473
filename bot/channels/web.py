"""The web chat: a static page and POST /api/chat (JSON in, JSON replies out)."""
from __future__ import annotations

import json
import re
from functools import partial
from importlib import resources

from aiohttp import web

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.outbox import OutboxRepository
from bot.dispatcher import ChatService
from bot.messages import IncomingMessage, Reply
from bot.render import to_plain

_SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BODY = 64 * 1024
STATIC = resources.files("bot.channels").joinpath("static")
_CONTENT_TYPES = {".html": "text/html", ".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
# the page is meant to be embedded in a commune's site: no X-Frame-Options, a strict CSP otherwise
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def reply_json(reply: Reply) -> dict:
    return {
        "text": to_plain(reply),
        "buttons": [{"label": b.label, "action": b.action} for row in reply.buttons for b in row],
    }


def _json(data: dict, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=partial(json.dumps, ensure_ascii=False))


def _error(status: int, message: str) -> web.Response:
    return _json({"error": message}, status)


class WebChannel:
    """The page asks and gets its replies in the response; notices about followed dossiers wait
    in the outbox until the page fetches them (GET /api/chat/updates)."""

    def __init__(self, service: ChatService, sessions: async_sessionmaker[AsyncSession] | None = None):
        self.service = service
        self._sessions = sessions

    async def updates(self, request: web.Request) -> web.Response:
        session_id = request.query.get("session_id", "")
        if not _SESSION.match(session_id):
            return _error(422, "session_id phải là chuỗi 8-64 ký tự A-Z a-z 0-9 _ -.")
        if self._sessions is None:
            return _json({"replies": []})
        async with self._sessions() as session, session.begin():
            replies = await OutboxRepository(session).take("web", session_id)
        return _json({"replies": [reply_json(r) for r in replies]})

    async def page(self, request: web.Request) -> web.Response:
        return self._file("index.html")

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if "/" in name or name.startswith(".") or not STATIC.joinpath(name).is_file():
            raise web.HTTPNotFound()
        return self._file(name)

    @staticmethod
    def _file(name: str) -> web.Response:
        suffix = name[name.rfind("."):]
        body = STATIC.joinpath(name).read_bytes()
        return web.Response(
            body=body, content_type=_CONTENT_TYPES.get(suffix, "application/octet-stream"),
            charset="utf-8", headers=_SECURITY_HEADERS,
        )

    async def chat(self, request: web.Request) -> web.Response:
        if request.content_length and request.content_length > MAX_BODY:
            return _error(413, "Tin nhắn quá dài.")
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "Yêu cầu không phải JSON hợp lệ.")
        if not isinstance(data, dict):
            return _error(400, "Yêu cầu phải là một đối tượng JSON.")
        session_id, text, action = data.get("session_id"), data.get("text"), data.get("action")
        if not isinstance(session_id, str) or not _SESSION.match(session_id):
            return _error(422, "session_id phải là chuỗi 8-64 ký tự A-Z a-z 0-9 _ -.")
        if isinstance(action, str) and action:
            message = IncomingMessage("web", session_id, session_id, "action", action=action[:64],
                                      client=request.remote)
        elif isinstance(text, str):
            command = text.strip()[1:].split()[0].lower() if text.strip().startswith("/") and text.strip()[1:] else None
            kind = "command" if command else "text"
            message = IncomingMessage("web", session_id, session_id, kind, text=text[:4000], command=command,
                                      client=request.remote)
        else:
            return _error(422, "Cần trường \"text\" (chuỗi) hoặc \"action\" (chuỗi).")
        return _json({"replies": [reply_json(r) for r in await self.service.handle(message)]})
