import asyncio
from contextlib import asynccontextmanager

from aiohttp import web
from fakes.fixtures import fake_telegram, fake_zalo_bot, fake_zalo_oa  # noqa: F401
from sqlalchemy import select

from bot.app import create_app
from bot.db.models import ChatUser, QuestionLogRow
from bot.db.session import create_engine, session_factory


@asynccontextmanager
async def running(settings, matcher):
    """The chat service on a random 127.0.0.1 port; yields its base URL."""
    runner = web.AppRunner(create_app(settings, matcher=matcher))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()


async def rows(database_url: str, model):
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            return list((await session.scalars(select(model))).all())
    finally:
        await engine.dispose()


async def users(database_url: str) -> list[ChatUser]:
    return await rows(database_url, ChatUser)


async def questions(database_url: str) -> list[QuestionLogRow]:
    return await rows(database_url, QuestionLogRow)


async def settle(seconds: float = 0.3) -> None:
    """Give background workers a moment (used only to show that nothing more happens)."""
    await asyncio.sleep(seconds)
