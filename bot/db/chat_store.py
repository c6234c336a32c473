"""Conversation state and chat records kept in memory and written to the database in batches.

Answering a message must not wait for a database round trip per statement: the store keeps
conversation states and recently processed update keys in memory (loaded at start-up), and a
background task writes what happened — update keys, users, conversation states, the question
log — in one transaction every ``FLUSH_EVERY_S`` seconds and at shutdown. A crash can lose at
most that fraction of a second of conversation state; nothing a citizen must receive depends on it.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.chat import ChatRepository
from bot.db.models import ChatUser, ConversationRow, ProcessedUpdate, QuestionLogRow, utcnow
from bot.privacy import mask_personal_data

log = logging.getLogger(__name__)
FLUSH_EVERY_S = 0.2
KEEP_KEYS = timedelta(days=2)  # platforms retry for hours at most
ASKED_WINDOW = timedelta(days=30)  # "most asked" means lately
Key = tuple[str, str]


@dataclass
class _Pending:
    keys: set[str] = field(default_factory=set)
    users: dict[Key, dict[str, Any]] = field(default_factory=dict)
    conversations: dict[Key, dict[str, Any]] = field(default_factory=dict)
    questions: list[dict[str, Any]] = field(default_factory=list)
    unreachable: dict[Key, str] = field(default_factory=dict)  # applied after the users' upserts

    def __bool__(self) -> bool:
        return bool(self.keys or self.users or self.conversations or self.questions or self.unreachable)


class ChatStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], capacity: int = 100_000):
        self._sessions = sessions
        self._capacity = capacity
        self._states: OrderedDict[Key, tuple[dict[str, Any], list[str]]] = OrderedDict()
        self._complete = True  # every stored conversation is in memory (nothing evicted yet)
        self._keys: set[str] = set()
        self._pending = _Pending()
        self._flusher: asyncio.Task | None = None
        self._flushing = asyncio.Lock()
        self._stopping = asyncio.Event()
        self._asked: Counter[str] = Counter()  # matched procedure codes of recent questions

    async def start(self) -> None:
        async with self._sessions() as session:
            rows = await session.execute(
                select(ConversationRow.channel, ConversationRow.conversation_id, ConversationRow.state,
                       ConversationRow.menu).order_by(ConversationRow.updated_at.desc()).limit(self._capacity + 1)
            )
            for channel, conversation_id, state, menu in reversed(rows.all()):
                self._states[(channel, conversation_id)] = (dict(state), list(menu))
            since = utcnow() - KEEP_KEYS
            self._keys = set(await session.scalars(select(ProcessedUpdate.key).where(ProcessedUpdate.received_at >= since)))
            asked = await session.execute(
                select(QuestionLogRow.matched_code, func.count())
                .where(QuestionLogRow.asked_at >= utcnow() - ASKED_WINDOW, QuestionLogRow.matched_code.is_not(None))
                .group_by(QuestionLogRow.matched_code)
            )
            self._asked = Counter(dict(asked.all()))
        self._complete = len(self._states) <= self._capacity
        self._trim()
        self._flusher = asyncio.create_task(self._flush_forever(), name="chat-store-flush")

    async def stop(self) -> None:
        """Let the flusher finish its batch (a cancelled write would lose it), then write the rest."""
        self._stopping.set()
        if self._flusher:
            await asyncio.gather(self._flusher, return_exceptions=True)
        await self.flush()

    def first_time(self, key: str) -> bool:
        """Mark a platform update key as processed; False when it already was."""
        if key in self._keys:
            return False
        self._keys.add(key)
        self._pending.keys.add(key)
        return True

    async def conversation(self, channel: str, conversation_id: str) -> tuple[dict[str, Any], list[str]]:
        key = (channel, conversation_id)
        if key in self._states:
            self._states.move_to_end(key)
            state, menu = self._states[key]
            return dict(state), list(menu)
        if self._complete:
            return {}, []
        async with self._sessions() as session:
            return await ChatRepository(session).conversation(channel, conversation_id)

    def record(
        self, channel: str, conversation_id: str, user_id: str, state: dict[str, Any], menu: list[str],
        start_payload: str | None = None, question: dict[str, Any] | None = None,
    ) -> None:
        """What one message changed; written at the next flush."""
        now = utcnow()
        key = (channel, conversation_id)
        self._states[key] = (state, menu)
        self._states.move_to_end(key)
        self._trim()
        pending = self._pending
        pending.conversations[key] = {"channel": channel, "conversation_id": conversation_id, "state": state,
                                      "menu": menu, "updated_at": now}
        earlier = pending.users.get((channel, user_id))
        pending.unreachable.pop((channel, user_id), None)  # writing again makes them reachable
        pending.users[(channel, user_id)] = {
            "channel": channel, "user_id": user_id, "first_seen_at": now, "last_inbound_at": now,
            "start_payload": (earlier or {}).get("start_payload") or (start_payload[:64] if start_payload else None),
            "reachable": True, "unreachable_reason": None,
        }
        if question is not None:
            if question["matched_code"]:
                self._asked[question["matched_code"]] += 1
            pending.questions.append({**question, "text": mask_personal_data(question["text"])[:2000],
                                      "channel": channel, "asked_at": now, "reviewed": False})

    def most_asked(self, count: int) -> list[str]:
        """Procedure codes citizens asked about most in the last 30 days."""
        return [code for code, _ in self._asked.most_common(count)]

    def mark_unreachable(self, channel: str, user_id: str, reason: str) -> None:
        """The platform refused for good (blocked, outside the window); written at the next flush."""
        self._pending.unreachable[(channel, user_id)] = reason[:64]

    def _trim(self) -> None:
        while len(self._states) > self._capacity:
            self._states.popitem(last=False)
            self._complete = False

    async def _flush_forever(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), FLUSH_EVERY_S)
            try:
                await self.flush()
            except Exception:  # the batch stays pending and is retried at the next tick
                log.exception("chat store: writing a batch failed")

    async def flush(self) -> None:
        async with self._flushing:
            batch, self._pending = self._pending, _Pending()
            if not batch:
                return
            try:
                async with self._sessions() as session, session.begin():
                    await self._write(session, batch)
            except BaseException:  # including cancellation: the batch is not lost
                self._requeue(batch)
                raise

    def _requeue(self, batch: _Pending) -> None:
        pending = self._pending
        pending.keys |= batch.keys
        for key, user in batch.users.items():
            pending.users.setdefault(key, user)
        for key, conversation in batch.conversations.items():
            pending.conversations.setdefault(key, conversation)
        pending.questions[:0] = batch.questions
        for key, reason in batch.unreachable.items():
            pending.unreachable.setdefault(key, reason)

    @staticmethod
    async def _write(session: AsyncSession, batch: _Pending) -> None:
        upsert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        if batch.keys:
            await session.execute(
                upsert(ProcessedUpdate).on_conflict_do_nothing(),
                [{"key": key, "received_at": now} for key in batch.keys],
            )
        if batch.users:
            users = upsert(ChatUser)
            await session.execute(
                users.on_conflict_do_update(
                    index_elements=[ChatUser.channel, ChatUser.user_id],
                    set_={"last_inbound_at": users.excluded.last_inbound_at, "reachable": True,
                          "unreachable_reason": None,
                          "start_payload": func.coalesce(ChatUser.start_payload, users.excluded.start_payload)},
                ),
                list(batch.users.values()),
            )
        if batch.conversations:
            conversations = upsert(ConversationRow)
            await session.execute(
                conversations.on_conflict_do_update(
                    index_elements=[ConversationRow.channel, ConversationRow.conversation_id],
                    set_={"state": conversations.excluded.state, "menu": conversations.excluded.menu,
                          "updated_at": conversations.excluded.updated_at},
                ),
                list(batch.conversations.values()),
            )
        if batch.questions:
            await session.execute(insert(QuestionLogRow), batch.questions)
        if batch.unreachable:
            await session.execute(
                upsert(ChatUser).on_conflict_do_nothing(),
                [{"channel": c, "user_id": u, "first_seen_at": now, "last_inbound_at": now, "reachable": True}
                 for c, u in batch.unreachable],
            )
            for (channel, user_id), reason in batch.unreachable.items():
                await session.execute(
                    update(ChatUser).where(ChatUser.channel == channel, ChatUser.user_id == user_id)
                    .values(reachable=False, unreachable_reason=reason)
                )


@contextlib.asynccontextmanager
async def chat_store(sessions: async_sessionmaker[AsyncSession]):
    store = ChatStore(sessions)
    await store.start()
    try:
        yield store
    finally:
        await store.stop()


def question_record(text: str, status: str, code: str | None, aspect: str, latency_ms: float) -> dict[str, Any]:
    return {"text": text, "status": status, "matched_code": code, "aspect": aspect, "latency_ms": latency_ms}

