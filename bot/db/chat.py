"""Reading the chat service's records (the writes are batched by ``bot.db.chat_store``) and
the rotating platform tokens."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ChatUser, ConversationRow, PlatformToken, ProcessedUpdate, QuestionLogRow, utcnow


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

    async def user(self, channel: str, user_id: str) -> ChatUser | None:
        return await self.session.get(ChatUser, (channel, user_id))

    async def conversation(self, channel: str, conversation_id: str) -> tuple[dict[str, Any], list[str]]:
        row = await self.session.get(ConversationRow, (channel, conversation_id))
        return (dict(row.state), list(row.menu)) if row else ({}, [])

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
