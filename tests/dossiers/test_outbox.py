"""The outbox: retries, refusals, holds; and a sender process killed at random points of a run of
1,000 notices delivers every one, with at most one duplicate per kill."""
from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections import Counter

import pytest
from fakes.fixtures import fake_telegram  # noqa: F401
from sqlalchemy import select

from bot.channels.base import SENT, Outcome
from bot.db.migrate import upgrade_engine
from bot.db.models import ChatUser, OutboxMessage
from bot.db.outbox import Notice, OutboxRepository
from bot.db.session import create_engine, session_factory
from bot.dossiers.outbox import OutboxSender
from bot.messages import Reply


def _notice(n: int, channel: str = "telegram", user: str | None = None) -> Notice:
    user = user or str(1000 + n % 37)
    return Notice(f"test:{n}", channel, user, user, Reply.of(f"Tin báo số #{n}#"))


async def _enqueue(sessions, notices) -> None:
    async with sessions() as session, session.begin():
        await OutboxRepository(session).enqueue(notices)


async def _states(sessions) -> dict[str, str]:
    async with sessions() as session:
        return {m.dedupe_key: m.state for m in await session.scalars(select(OutboxMessage))}


class ScriptedPlatform:
    """Answers each recipient's sends from a script of outcomes, then SENT."""

    def __init__(self, script: dict[str, list[Outcome]]):
        self.script = script
        self.delivered: list[tuple[str, str]] = []

    async def send(self, recipient: str, reply: Reply) -> Outcome:
        queue = self.script.get(recipient, [])
        outcome = queue.pop(0) if queue else SENT
        if outcome.kind == "sent":
            self.delivered.append((recipient, reply.lines[0][0].text))
        return outcome


async def test_retries_refusals_and_holds(engine) -> None:
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(ChatUser(channel="zalo_oa", user_id="blocked"))
    platform = ScriptedPlatform({
        "busy": [Outcome("retry", "429", after=0.0)],
        "flaky": [Outcome("retry", "ClientConnectorError", after=0.0), Outcome("retry", "TimedOut", after=0.0)],
        "blocked": [Outcome("unreachable", "banned or inactive")],
        "away": [Outcome("unreachable", "outside 7-day window")],
        "broken": [Outcome("failed", "zalo -201")],
    })
    await _enqueue(sessions, [_notice(n, "zalo_oa", user) for n, user in
                              enumerate(["busy", "flaky", "blocked", "away", "broken", "fine"])])
    sender = OutboxSender(sessions, {"zalo_oa": platform.send})
    await sender.start()
    await asyncio.wait_for(sender.run(until_empty=True), 10)
    assert await _states(sessions) == {"test:0": "sent", "test:1": "sent", "test:2": "refused", "test:3": "held",
                                       "test:4": "failed", "test:5": "sent"}
    assert Counter(r for r, _ in platform.delivered) == {"busy": 1, "flaky": 1, "fine": 1}
    async with sessions() as session:
        user = await session.get(ChatUser, ("zalo_oa", "blocked"))
        attempts = {m.dedupe_key: m.attempts for m in await session.scalars(select(OutboxMessage))}
    assert user.reachable is False and attempts["test:1"] == 3 and attempts["test:2"] == 1
    await sender.user_wrote("zalo_oa", "away")  # the window opened again
    await asyncio.wait_for(sender.run(until_empty=True), 10)
    assert (await _states(sessions))["test:3"] == "sent"
    assert ("away", "Tin báo số #3#") in platform.delivered


async def test_a_notice_is_queued_once_per_key(engine) -> None:
    sessions = session_factory(engine)
    await _enqueue(sessions, [_notice(1), _notice(2)])
    await _enqueue(sessions, [_notice(1)])  # the same cause again (a retried webhook, a re-import)
    assert len(await _states(sessions)) == 2


async def test_backoff_without_retry_after_waits(engine) -> None:
    sessions = session_factory(engine)
    platform = ScriptedPlatform({"slow": [Outcome("retry", "TimedOut")]})
    await _enqueue(sessions, [_notice(1, "telegram", "slow")])
    sender = OutboxSender(sessions, {"telegram": platform.send})
    assert await sender.send_due() == 1
    assert await sender.send_due() == 0  # not due again before its backoff
    async with sessions() as session:
        [message] = list(await session.scalars(select(OutboxMessage)))
    assert message.state == "pending" and message.attempts == 1 and message.last_error == "TimedOut"


KILLS = 4
NOTICES = 1000


async def _run_sender(env: dict[str, str], kill_after: int | None, fake) -> bool:
    """Start ``motcua dossiers send``; SIGKILL it once ``kill_after`` more messages arrived.
    Returns whether it was killed."""
    before = len(fake.calls_to("sendMessage"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "dossiers", "send", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        while process.returncode is None:
            if kill_after is not None and len(fake.calls_to("sendMessage")) >= before + kill_after:
                process.send_signal(signal.SIGKILL)
                await process.wait()
                return True
            try:
                await asyncio.wait_for(process.wait(), 0.002)
            except TimeoutError:
                pass
        stderr = (await process.stderr.read()).decode(errors="replace")
        assert process.returncode == 0, stderr
        return False
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_killing_the_sender_loses_nothing(fake_telegram, tmp_path) -> None:  # noqa: F811
    url = f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    engine = create_engine(url)
    await upgrade_engine(engine)
    await _enqueue(session_factory(engine), [_notice(n, user=str(10_000 + n % 50)) for n in range(NOTICES)])
    env = {**os.environ, "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": fake_telegram.token,
           "TELEGRAM_API_BASE_URL": f"{fake_telegram.base_url}/bot", "PUBLIC_BASE_URL": "",
           "ZALO_OA_ACCESS_TOKEN": "", "ZALO_BOT_TOKEN": "", "LOG_LEVEL": "WARNING"}
    rng = random.Random(20261121)
    kills = 0
    for _ in range(KILLS):
        kills += await _run_sender(env, rng.randint(1, NOTICES // (KILLS + 1)), fake_telegram)
    assert not await _run_sender(env, None, fake_telegram)  # the restart finishes the run
    received = Counter(
        int(call.params["text"].split("#")[1]) for call in fake_telegram.calls_to("sendMessage") if call.status == 200)
    states = await _states(session_factory(engine))
    await engine.dispose()
    assert kills == KILLS
    assert set(received) == set(range(NOTICES))  # every notice delivered
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= kills
    assert set(states.values()) == {"sent"}


@pytest.mark.parametrize("status", [429, 403])
async def test_platform_errors_through_the_real_telegram_client(fake_telegram, tmp_path, status) -> None:  # noqa: F811
    from bot.channels.telegram import TelegramChannel
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'o.sqlite3'}",
                        telegram_bot_token=fake_telegram.token, telegram_api_base_url=f"{fake_telegram.base_url}/bot")
    engine = create_engine(settings.database_url)
    await upgrade_engine(engine)
    sessions = session_factory(engine)
    channel = TelegramChannel(settings, None)
    await channel.start()
    try:
        await _enqueue(sessions, [_notice(1, user="321")])
        fake_telegram.fail_next("sendMessage", status, retry_after=0) if status == 429 else \
            fake_telegram.fail_next("sendMessage", status)
        sender = OutboxSender(sessions, {"telegram": channel.send_to})
        await asyncio.wait_for(sender.run(until_empty=True), 20)
    finally:
        await channel.stop()
    state = (await _states(sessions))["test:1"]
    await engine.dispose()
    assert state == ("sent" if status == 429 else "refused")
    assert len([c for c in fake_telegram.calls_to("sendMessage") if c.status == 200]) == (1 if status == 429 else 0)
