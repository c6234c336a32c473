"""Reading the chat service's records (the writes are batched by ``bot.db.chat_store``) and
the rotating platform tokens."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ConversationRow, PlatformToken, ProcessedUpdate, QuestionLogRow, utcnow


class ChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def conversation(self, channel: str, conversation_id: str) -> tuple[dict[str, Any], list[str]]:
        row = await self.session.get(ConversationRow, (channel, conversation_id))
        return (dict(row.state), list(row.menu)) if row else ({}, [])

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
