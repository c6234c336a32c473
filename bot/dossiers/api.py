"""POST /api/dossiers/events: the one-stop software pushes dossier changes.

Body: JSON ``{"event_id": "...", "ma_ho_so": "...", ...}`` with the import's column names
(``trang_thai``, ``buoc_xu_ly``, ``ngay_hen_tra``, ``ngay_hen_moi``, ``ly_do_tre_han``, and for a
new dossier ``ngay_tiep_nhan``, ``ma_thu_tuc``, ``ten_thu_tuc``, ``ho_ten``, ``so_dien_thoai``).
Bearer tokens from ``DOSSIER_API_TOKENS``; an event id seen before changes nothing.
"""
from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.dossiers import DossierRepository, MissingFactsError
from bot.dossiers.ledger import record
from bot.dossiers.outbox import OutboxSender
from bot.dossiers.sheet import COLUMNS, read_record
from bot.settings import Settings

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
NEW_DOSSIER = ("ngay_tiep_nhan", "ngay_hen_tra", "trang_thai")


def _json(data: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers,
                             dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _invalid(errors: list[dict]) -> web.Response:
    return _json({"error": "invalid event", "errors": errors}, 422)


class DossierEvents:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession], outbox: OutboxSender | None):
        self._tokens = [(name, token.get_secret_value().encode()) for name, token in settings.dossier_api_tokens]
        self._zone = settings.zone
        self._sessions = sessions
        self._outbox = outbox

    def caller(self, request: web.Request) -> str | None:
        """The name of the token presented, compared in constant time with every configured one."""
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        given_bytes = given.strip().encode()
        found = None
        for name, token in self._tokens:
            if hmac.compare_digest(given_bytes, token) and scheme.lower() == "bearer":
                found = name
        return found

    async def receive(self, request: web.Request) -> web.Response:
        caller = self.caller(request)
        if caller is None:
            return _json({"error": "unauthorized"}, 401, {"WWW-Authenticate": 'Bearer realm="dossiers"'})
        if request.content_length and request.content_length > MAX_BODY:
            return _json({"error": "body too large"}, 413)
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _invalid([{"field": None, "reason": "body is not valid JSON"}])
        if not isinstance(body, dict):
            return _invalid([{"field": None, "reason": "body must be a JSON object"}])
        event_id = body.get("event_id")
        if not isinstance(event_id, str) or not 1 <= len(event_id) <= 128:
            return _invalid([{"field": "event_id", "reason": "required: a string of 1-128 characters"}])
        unknown = sorted(k for k in body if k not in COLUMNS and k != "event_id")
        if unknown:
            return _invalid([{"field": k, "reason": "unknown field"} for k in unknown])
        wrong_type = [k for k, v in body.items() if v is not None and not isinstance(v, (str, int, float))]
        if wrong_type:
            return _invalid([{"field": k, "reason": "must be a string"} for k in wrong_type])
        facts, errors = read_record(body, required=("ma_ho_so",))
        if errors:
            return _invalid([{"field": e.column, "reason": e.reason} for e in errors])
        actor = f"api:{caller}"[:64]
        try:
            async with self._sessions() as session, session.begin():
                dossiers = DossierRepository(session, self._zone)
                if await dossiers.seen_event(event_id):
                    return _json({"status": "duplicate", "event_id": event_id})
                await dossiers.record_event(event_id, facts.code, actor)
                applied = await record(session, [facts], actor, self._zone)
        except MissingFactsError:
            missing = [c for c in NEW_DOSSIER if body.get(c) in (None, "")]
            return _invalid([{"field": c, "reason": "required for a dossier not seen before"} for c in missing])
        except IntegrityError:  # the same event id raced in on another request
            return _json({"status": "duplicate", "event_id": event_id})
        if applied and self._outbox is not None:
            self._outbox.wake()
        change = applied[0] if applied else None
        return _json({"status": "applied" if change else "unchanged", "event_id": event_id, "code": facts.code,
                      "version": change.version if change else None,
                      "changed": [c["field"] for c in change.changes] if change else []})
