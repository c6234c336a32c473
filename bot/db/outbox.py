"""The outbox: proactive messages written in the transaction of the change that causes them,
then sent one by one by ``bot.dossiers.outbox.OutboxSender``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ChatUser, OutboxMessage, utcnow
from bot.messages import Reply

MAX_BACKOFF_S = 3600


@dataclass(frozen=True)
class Notice:
    dedupe_key: str  # one message per cause and recipient, whatever retries happen upstream
    channel: str
    recipient: str
    user_id: str
    reply: Reply


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, notices: list[Notice]) -> None:
        if not notices:
            return
        insert = postgresql_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        await self.session.execute(
            insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"]),
            [{"dedupe_key": n.dedupe_key, "channel": n.channel, "recipient": n.recipient, "user_id": n.user_id,
              "reply": n.reply.as_dict(), "state": "pending", "attempts": 0, "next_attempt_at": now,
              "created_at": now} for n in notices],
        )

    async def due(self, channels: list[str], limit: int = 50, now: datetime | None = None) -> list[OutboxMessage]:
        return list(await self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == "pending", OutboxMessage.channel.in_(channels),
                                        OutboxMessage.next_attempt_at <= (now or utcnow()))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))

    async def next_due_at(self, channels: list[str]) -> datetime | None:
        return await self.session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.state == "pending", OutboxMessage.channel.in_(channels)))

    async def mark_sent(self, message_id: int) -> None:
        await self._set(message_id, state="sent", sent_at=utcnow(), attempts=OutboxMessage.attempts + 1, last_error=None)

    async def retry_later(self, message_id: int, attempts: int, reason: str, after: float | None = None) -> None:
        delay = after if after is not None else min(MAX_BACKOFF_S, 2 ** min(attempts, 12))
        await self._set(message_id, attempts=attempts + 1, last_error=reason[:64],
                        next_attempt_at=utcnow() + timedelta(seconds=delay))

    async def hold(self, message_id: int, reason: str) -> None:
        await self._set(message_id, state="held", attempts=OutboxMessage.attempts + 1, last_error=reason[:64])

    async def refuse(self, message: OutboxMessage, reason: str) -> None:
        """The platform refused for good (blocked): never retried; the user is marked unreachable."""
        await self._set(message.id, state="refused", attempts=OutboxMessage.attempts + 1, last_error=reason[:64])
        await self.session.execute(update(ChatUser).where(
            ChatUser.channel == message.channel, ChatUser.user_id == message.user_id
        ).values(reachable=False, unreachable_reason=reason[:64]))

    async def fail(self, message_id: int, reason: str) -> None:
        await self._set(message_id, state="failed", attempts=OutboxMessage.attempts + 1, last_error=reason[:64])

    async def release(self, channel: str, user_id: str) -> int:
        """The user wrote again: messages held for them go out now."""
        result = await self.session.execute(update(OutboxMessage).where(
            OutboxMessage.state == "held", OutboxMessage.channel == channel, OutboxMessage.user_id == user_id
        ).values(state="pending", next_attempt_at=utcnow()))
        return result.rowcount or 0

    async def held_users(self) -> set[tuple[str, str]]:
        rows = await self.session.execute(select(OutboxMessage.channel, OutboxMessage.user_id)
                                          .where(OutboxMessage.state == "held").distinct())
        return {(channel, user_id) for channel, user_id in rows.all()}

    async def take(self, channel: str, recipient: str, limit: int = 20) -> list[Reply]:
        """Pending messages of a channel that fetches its own (the web page polls): marked sent."""
        rows = list(await self.session.scalars(select(OutboxMessage).where(
            OutboxMessage.state == "pending", OutboxMessage.channel == channel, OutboxMessage.recipient == recipient
        ).order_by(OutboxMessage.id).limit(limit)))
        if rows:
            await self.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]))
                                       .values(state="sent", sent_at=utcnow(), attempts=OutboxMessage.attempts + 1))
        return [Reply.from_dict(row.reply) for row in rows]

    async def _set(self, message_id: int, **values) -> None:
        await self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
