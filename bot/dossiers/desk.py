"""The dossier desk of the chat: lookup by code, the phone check, follow, rating.

Codes are sequential and guessable, so a code alone shows only the status and dates; the
applicant, procedure and step need the last four digits of the phone on the dossier. Unknown
codes and wrong digits get the same answer, and five of them within an hour pause lookups for
an hour (per user; on the web, per client address, since a page can invent new sessions).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.dossiers import DossierRepository
from bot.db.models import utcnow
from bot.dossiers.code import find_dossier_codes
from bot.dossiers.ledger import view_of
from bot.dossiers.status import DossierStatus
from bot.messages import IncomingMessage, Reply
from bot.privacy import mask_personal_data
from handlers.conversation import ConversationState
from handlers.dossier import (
    ask_phone_reply,
    comment_thanks,
    followed_reply,
    not_found_reply,
    paused_reply,
    rating_thanks,
    status_reply,
    unfollowed_reply,
)

FAILURE_LIMIT = 5
PAUSE = timedelta(hours=1)
FAILURES_KEPT = 2 * PAUSE  # enough to see five failures within an hour and the hour after
MAX_VERIFIED = 5
MAX_COMMENT = 1000
_FOUR_DIGITS = re.compile(r"^\D*(\d{4})\D*$")


def paused_until(failures: list[datetime], now: datetime) -> datetime | None:
    """``FAILURE_LIMIT`` failures within ``PAUSE`` pause lookups for ``PAUSE`` after the last of them."""
    for first, last in zip(failures, failures[FAILURE_LIMIT - 1 :]):
        if last - first <= PAUSE and last + PAUSE > now:
            return last + PAUSE
    return None


class DossierDesk:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo):
        self._sessions = sessions
        self.zone = zone

    async def turn(self, message: IncomingMessage, state: ConversationState) -> list[Reply] | None:
        """Replies when the message is about a dossier; None lets the procedure conversation answer."""
        if message.kind == "action" and (message.action or "").startswith("dossier:"):
            return await self._action(message, state, (message.action or "").split(":")[1:])
        if message.kind != "text":
            return None
        text = message.text.strip()
        codes = find_dossier_codes(text)
        if codes:
            state.awaiting = None
            return await self.lookup(message, state, str(codes[0]))
        if state.awaiting == "phone" and state.dossier:
            if digits := _FOUR_DIGITS.match(text):
                state.awaiting = None
                return await self.verify(message, state, state.dossier, digits.group(1))
            state.awaiting = None
            return None
        if state.awaiting == "comment" and state.dossier:
            state.awaiting = None
            return await self._comment(message, state.dossier, text)
        return None

    async def _action(self, message: IncomingMessage, state: ConversationState, parts: list[str]) -> list[Reply]:
        kind, args = (parts[0] if parts else ""), parts[1:]
        if kind == "verify" and args:
            async with self._sessions() as session:
                until = await self._paused(DossierRepository(session, self.zone), message)
            if until:
                return [paused_reply(until.astimezone(self.zone))]
            state.dossier, state.awaiting = args[0], "phone"
            return [ask_phone_reply()]
        if kind == "follow" and args:
            return await self._follow(message, state, args[0])
        if kind == "unfollow" and args:
            async with self._sessions() as session, session.begin():
                await DossierRepository(session, self.zone).unfollow(args[0], message.channel, message.conversation_id)
            return [unfollowed_reply(args[0])]
        if kind == "rate" and len(args) == 2 and args[0] in "12345" and len(args[0]) == 1:
            async with self._sessions() as session, session.begin():
                dossiers = DossierRepository(session, self.zone)
                if not await dossiers.is_follower(args[1], message.channel, message.user_id):
                    return [not_found_reply()]
                await dossiers.rate(args[1], message.channel, message.user_id, int(args[0]))
            state.dossier, state.awaiting = args[1], "comment"
            return [rating_thanks()]
        if kind == "nocomment":
            state.awaiting = None
            return [Reply.of("Dạ vâng ạ. Chúc anh/chị một ngày tốt lành.")]
        return [not_found_reply()]

    async def lookup(self, message: IncomingMessage, state: ConversationState, code: str) -> list[Reply]:
        async with self._sessions() as session, session.begin():
            dossiers = DossierRepository(session, self.zone)
            if until := await self._paused(dossiers, message):
                return [paused_reply(until.astimezone(self.zone))]
            row = await dossiers.get(code)
            if row is None:
                await dossiers.record_failure(message.channel, self._client(message))
                return [not_found_reply()]
            state.dossier = code
            return [await self._status(dossiers, message, row, code in state.verified)]

    async def verify(self, message: IncomingMessage, state: ConversationState, code: str, digits: str) -> list[Reply]:
        async with self._sessions() as session, session.begin():
            dossiers = DossierRepository(session, self.zone)
            if until := await self._paused(dossiers, message):
                return [paused_reply(until.astimezone(self.zone))]
            row = await dossiers.get(code)
            if row is None or row.phone_last4 is None or row.phone_last4 != digits:
                await dossiers.record_failure(message.channel, self._client(message))
                return [not_found_reply()]
            state.verified = [c for c in state.verified if c != code][-(MAX_VERIFIED - 1):] + [code]
            return [await self._status(dossiers, message, row, True)]

    async def _status(self, dossiers: DossierRepository, message: IncomingMessage, row, verified: bool) -> Reply:
        """The dossier as this person may see it: details and follow state only once verified."""
        following = verified and await dossiers.is_follower(row.code, message.channel, message.user_id)
        apology = await dossiers.latest_apology(row.code) if row.new_due_at else None
        return status_reply(view_of(row, self.zone, verified, apology), verified, following)

    async def _follow(self, message: IncomingMessage, state: ConversationState, code: str) -> list[Reply]:
        if code not in state.verified:
            state.dossier, state.awaiting = code, "phone"
            return [ask_phone_reply()]
        async with self._sessions() as session, session.begin():
            dossiers = DossierRepository(session, self.zone)
            row = await dossiers.get(code)
            if row is None:
                return [not_found_reply()]
            if row.status == DossierStatus.RETURNED.value:
                return [Reply.of("Dạ, hồ sơ này đã trả kết quả xong nên không cần theo dõi nữa ạ.")]
            await dossiers.follow(code, message.channel, message.conversation_id, message.user_id)
        note = " Trên trang web, tin báo hiện ra khi anh/chị mở lại trang này." if message.channel == "web" else ""
        return [followed_reply(code, note)]

    async def _comment(self, message: IncomingMessage, code: str, text: str) -> list[Reply]:
        async with self._sessions() as session, session.begin():
            saved = await DossierRepository(session, self.zone).comment(
                code, message.channel, message.user_id, mask_personal_data(text)[:MAX_COMMENT])
        return [comment_thanks()] if saved else [not_found_reply()]

    async def _paused(self, dossiers: DossierRepository, message: IncomingMessage) -> datetime | None:
        now = utcnow()
        failures = await dossiers.failures_since(message.channel, self._client(message), now - FAILURES_KEPT)
        return paused_until(failures, now)

    @staticmethod
    def _client(message: IncomingMessage) -> str:
        return message.client or message.user_id
