"""Sending the outbox: one message at a time, its outcome committed before the next is sent.

A crash between the platform accepting a message and the commit that records it can repeat that
one message after a restart — never more, and nothing is ever lost. 429s and network errors are
retried with backoff; a user who blocked the bot is never retried; Zalo users outside the 7-day
window are held until they write again.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Outcome
from bot.db.models import utcnow
from bot.db.outbox import OutboxRepository
from bot.messages import Reply

log = logging.getLogger(__name__)
Send = Callable[[str, Reply], Awaitable[Outcome]]
WINDOW_CLOSED = {"outside 7-day window", "interaction expired"}  # Zalo: the user must write first
IDLE_POLL_S = 5.0


class OutboxSender:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], senders: Mapping[str, Send]):
        self._sessions = sessions
        self._senders = dict(senders)
        self._wake = asyncio.Event()
        self._held: set[tuple[str, str]] = set()

    def register(self, channel: str, send: Send) -> None:
        self._senders[channel] = send

    async def start(self) -> None:
        async with self._sessions() as session:
            self._held = await OutboxRepository(session).held_users()

    def wake(self) -> None:
        """Something was queued: send it now rather than at the next poll."""
        self._wake.set()

    async def user_wrote(self, channel: str, user_id: str) -> None:
        """Release what was held for a user whose window reopened (cheap when nothing is held)."""
        if (channel, user_id) not in self._held:
            return
        self._held.discard((channel, user_id))
        async with self._sessions() as session, session.begin():
            released = await OutboxRepository(session).release(channel, user_id)
        if released:
            self.wake()

    async def send_due(self, limit: int = 50) -> int:
        """Send what is due now; returns how many were attempted."""
        if not self._senders:
            return 0
        async with self._sessions() as session:
            batch = await OutboxRepository(session).due(list(self._senders), limit)
        for message in batch:
            try:
                outcome = await self._senders[message.channel](message.recipient, Reply.from_dict(message.reply))
            except Exception as exc:  # a bug in one message must not stop the others
                log.exception("outbox: sending message %d raised", message.id)
                outcome = Outcome("retry", type(exc).__name__)
            async with self._sessions() as session, session.begin():
                await self._record(OutboxRepository(session), message, outcome)
        return len(batch)

    async def _record(self, outbox: OutboxRepository, message, outcome: Outcome) -> None:
        if outcome.kind == "sent":
            await outbox.mark_sent(message.id)
        elif outcome.kind == "retry":
            log.info("outbox: message %d will be retried (%s)", message.id, outcome.reason)
            await outbox.retry_later(message.id, message.attempts, outcome.reason, outcome.after)
        elif outcome.kind == "unreachable" and outcome.reason in WINDOW_CLOSED:
            await outbox.hold(message.id, outcome.reason)
            self._held.add((message.channel, message.user_id))
        elif outcome.kind == "unreachable":
            await outbox.refuse(message, outcome.reason)
        else:
            log.warning("outbox: message %d failed for good (%s)", message.id, outcome.reason)
            await outbox.fail(message.id, outcome.reason)

    async def run(self, stop: asyncio.Event | None = None, until_empty: bool = False) -> None:
        """Send until ``stop`` is set (or, with ``until_empty``, until nothing is pending)."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            if await self.send_due():
                continue
            async with self._sessions() as session:
                next_at = await OutboxRepository(session).next_due_at(list(self._senders))
            if until_empty and next_at is None:
                return
            wait = IDLE_POLL_S if next_at is None else max(0.0, min(IDLE_POLL_S, (next_at - utcnow()).total_seconds()))
            self._wake.clear()
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
