"""Repository of the chat service: users, conversation state, processed updates, question log.

Like the catalogue repository it only flushes; the caller owns the transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ChatUser, ConversationRow, PlatformToken, ProcessedUpdate, QuestionLogRow, utcnow
from bot.privacy import mask_personal_data


@dataclass(frozen=True)
class LoggedQuestion:
    channel: str
    asked_at: datetime
    text: str
    status: str
    matched_code: str | None
    aspect: str
    latency_ms: float


class ChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, key: str) -> bool:
        """Record a platform update key; False when it was already processed."""
        if await self.session.get(ProcessedUpdate, key) is not None:
            return False
        self.session.add(ProcessedUpdate(key=key))
        await self.session.flush()
        return True

    async def touch_user(self, channel: str, user_id: str, start_payload: str | None = None) -> ChatUser:
        """The user, created on first contact; writing again makes them reachable again."""
        user = await self.session.get(ChatUser, (channel, user_id))
        now = utcnow()
        if user is None:
            user = ChatUser(channel=channel, user_id=user_id, first_seen_at=now, last_inbound_at=now, reachable=True)
            self.session.add(user)
        user.last_inbound_at = now
        user.reachable, user.unreachable_reason = True, None
        if start_payload and not user.start_payload:
            user.start_payload = start_payload[:64]
        await self.session.flush()
        return user

    async def mark_unreachable(self, channel: str, user_id: str, reason: str) -> None:
        user = await self.session.get(ChatUser, (channel, user_id))
        if user is None:
            now = utcnow()
            user = ChatUser(channel=channel, user_id=user_id, first_seen_at=now, last_inbound_at=now)
            self.session.add(user)
        user.reachable, user.unreachable_reason = False, reason[:64]
        await self.session.flush()

    async def user(self, channel: str, user_id: str) -> ChatUser | None:
        return await self.session.get(ChatUser, (channel, user_id))

    async def conversation(self, channel: str, conversation_id: str) -> tuple[dict[str, Any], list[str]]:
        row = await self.session.get(ConversationRow, (channel, conversation_id))
        return (dict(row.state), list(row.menu)) if row else ({}, [])

    async def save_conversation(
        self, channel: str, conversation_id: str, state: dict[str, Any], menu: list[str]
    ) -> None:
        row = await self.session.get(ConversationRow, (channel, conversation_id))
        if row is None:
            self.session.add(
                ConversationRow(channel=channel, conversation_id=conversation_id, state=state, menu=menu)
            )
        else:
            row.state, row.menu, row.updated_at = state, menu, utcnow()
        await self.session.flush()

    async def log_question(
        self, channel: str, text: str, status: str, matched_code: str | None, aspect: str, latency_ms: float
    ) -> None:
        self.session.add(
            QuestionLogRow(
                channel=channel,
                text=mask_personal_data(text)[:2000],
                status=status,
                matched_code=matched_code,
                aspect=aspect,
                latency_ms=latency_ms,
            )
        )
        await self.session.flush()

    async def questions(self, status: str | None = None, limit: int = 100) -> list[LoggedQuestion]:
        query = select(QuestionLogRow).order_by(QuestionLogRow.id.desc()).limit(limit)
        if status:
            query = query.where(QuestionLogRow.status == status)
        rows = (await self.session.scalars(query)).all()
        return [
            LoggedQuestion(r.channel, r.asked_at, r.text, r.status, r.matched_code, r.aspect, r.latency_ms)
            for r in rows
        ]

    async def count_questions(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(QuestionLogRow)) or 0)

    async def purge(self, retention: timedelta) -> int:
        """Delete questions and processed-update keys older than the retention period."""
        cutoff = utcnow() - retention
        removed = await self.session.execute(delete(QuestionLogRow).where(QuestionLogRow.asked_at < cutoff))
        await self.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.received_at < cutoff))
        return removed.rowcount or 0


class TokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, name: str) -> str | None:
        row = await self.session.get(PlatformToken, name)
        return row.value if row else None

    async def put(self, name: str, value: str) -> None:
        row = await self.session.get(PlatformToken, name)
        if row is None:
            self.session.add(PlatformToken(name=name, value=value))
        else:
            row.value, row.updated_at = value, utcnow()
        await self.session.flush()
