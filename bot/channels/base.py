"""What every channel adapter shares: delivery with retries, the background inbox, duplicate
update keys, plain-text rendering with a numbered menu."""
from __future__ import annotations

import asyncio
import logging

import aiohttp
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from bot.channels.split import split_lines
from bot.messages import Button, IncomingMessage, Reply
from bot.render import span_plain

log = logging.getLogger(__name__)

OutcomeKind = Literal["sent", "retry", "unreachable", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What one attempt to send gave: sent; retry (after ``after`` seconds, or backoff); the
    platform refused for good for this user (blocked, outside the window); or a permanent error."""

    kind: OutcomeKind
    reason: str = ""
    after: float | None = None


SENT = Outcome("sent")
BACKOFF = (0.5, 1.0, 2.0, 4.0)


async def deliver(attempt: Callable[[], Awaitable[Outcome]], attempts: int = len(BACKOFF) + 1) -> Outcome:
    """Call ``attempt`` until it is sent or refused for good; 429s and network errors are retried
    with the platform's retry-after or exponential backoff. The last outcome is returned."""
    outcome = Outcome("failed", "no attempt")
    for n in range(attempts):
        outcome = await attempt()
        if outcome.kind != "retry" or n == attempts - 1:
            return outcome
        await asyncio.sleep(outcome.after if outcome.after is not None else BACKOFF[min(n, len(BACKOFF) - 1)])
    return outcome


class Inbox:
    """Webhooks answer at once; messages are handled here in arrival order, and one failing
    message never stops the worker."""

    def __init__(self, handle: Callable[[IncomingMessage], Awaitable[None]], name: str):
        self._handle = handle
        self._name = name
        self._queue: asyncio.Queue[IncomingMessage] = asyncio.Queue()
        self._task: asyncio.Task | None = None

    def put(self, message: IncomingMessage) -> None:
        self._queue.put_nowait(message)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"inbox-{self._name}")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            message = await self._queue.get()
            try:
                await self._handle(message)
            except Exception:  # logged without the message text: it may hold personal data
                log.exception("%s: handling a %s message failed", self._name, message.kind)
            finally:
                self._queue.task_done()


async def answer(service, channel: str, message: IncomingMessage, send: Callable[[Reply], Awaitable[Outcome]]) -> None:
    """Handle a message and deliver its replies; a user the platform refuses is marked unreachable
    and the rest of the replies are not attempted."""
    for reply in await service.handle(message):
        outcome = await send(reply)
        if outcome.kind == "unreachable":
            service.mark_unreachable(channel, message.user_id, outcome.reason)
            return


class QueuedChannel:
    """A platform whose webhooks are answered at once and processed by an inbox, with an HTTP
    client for its send API. Subclasses set ``name`` and implement ``send`` and ``recipient``."""

    name: str

    def __init__(self, service):
        self.service = service
        self._http: aiohttp.ClientSession | None = None
        self.inbox = Inbox(self._process, self.name)

    async def start(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        await self.prepare()
        await self.inbox.start()

    async def prepare(self) -> None:
        """Start-up work once the HTTP client exists (tokens, webhook registration)."""

    async def stop(self) -> None:
        await self.inbox.stop()
        if self._http:
            await self._http.close()

    def recipient(self, message: IncomingMessage) -> str:
        raise NotImplementedError

    async def send(self, recipient: str, reply: Reply) -> Outcome:
        raise NotImplementedError

    async def send_to(self, recipient: str, reply: Reply) -> Outcome:
        """A proactive message to a conversation (the outbox's entry point)."""
        return await self.send(recipient, reply)

    async def _process(self, message: IncomingMessage) -> None:
        await answer(self.service, self.name, message, lambda reply: self.send(self.recipient(message), reply))


def plain_chunks(reply: Reply, limit: int, numbered: bool) -> list[str]:
    """Plain text split to ``limit``; with ``numbered`` the buttons become a menu to answer by
    number (the dispatcher maps "2" back to the second button's action)."""
    lines = ["".join(span_plain(s) for s in line) for line in reply.lines]
    buttons = flat_buttons(reply)
    if numbered and buttons:
        lines.append("")
        lines.append("Gõ số để chọn:")
        lines.extend(f"{n}. {b.label.removeprefix(f'{n}. ')}" for n, b in enumerate(buttons, 1))  # "2. 2. …" once
    return split_lines(lines, limit)


def flat_buttons(reply: Reply) -> list[Button]:
    return [button for row in reply.buttons for button in row]
