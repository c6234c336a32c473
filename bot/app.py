"""The chat service: one aiohttp application for the web chat, Telegram and Zalo."""
from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web

from bot.catalogue.provider import matcher_from_database
from bot.channels.web import WebChannel
from bot.db.bootstrap import ensure_database
from bot.db.chat import ChatRepository
from bot.db.chat_store import chat_store
from bot.db.dossiers import DossierRepository
from bot.db.session import create_engine, session_factory
from bot.dispatcher import ChatService
from bot.dossiers.api import DossierEvents
from bot.dossiers.desk import FAILURES_KEPT, DossierDesk
from bot.dossiers.ledger import queue_late_notices
from bot.dossiers.outbox import OutboxSender
from bot.matching.matcher import Matcher
from bot.settings import Settings, get_settings

log = logging.getLogger(__name__)
PURGE_EVERY_S = 6 * 3600
LATE_CHECK_EVERY_S = 3600


@dataclass
class Services:
    service: ChatService
    web: WebChannel
    dossier_events: DossierEvents
    channels: list = field(default_factory=list)  # platform channels that are switched on


SERVICES = web.AppKey("services", Services)


@asynccontextmanager
async def chat_service(settings: Settings, matcher: Matcher | None = None):
    """The database (migrated, catalogue loaded), the matcher and the dispatcher; yields
    ``(ChatService, sessions)`` and disposes of the engine afterwards."""
    engine = create_engine(settings.database_url)
    try:
        await ensure_database(settings, engine=engine)
        sessions = session_factory(engine)
        matcher = matcher or await matcher_from_database(settings, sessions)
        outbox = OutboxSender(sessions, {})
        await outbox.start()
        async with chat_store(sessions) as store:
            yield ChatService(matcher, store, DossierDesk(sessions, settings.zone), outbox), sessions
    finally:
        await engine.dispose()


def create_app(settings: Settings | None = None, matcher: Matcher | None = None) -> web.Application:
    settings = settings or get_settings()
    app = web.Application(client_max_size=1024 * 1024)

    async def lifecycle(app: web.Application):
        async with chat_service(settings, matcher) as (chat, sessions), _running(app, settings, chat, sessions):
            yield

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/", _web("page"))
    app.router.add_get("/static/{name}", _web("static"))
    app.router.add_post("/api/chat", _web("chat"))
    app.router.add_get("/api/chat/updates", _web("updates"))
    app.router.add_post("/api/dossiers/events", _dossier_events)
    for path, name in (("telegram", "telegram"), ("zalo-oa", "zalo_oa"), ("zalo-bot", "zalo_bot")):
        app.router.add_post(f"/webhooks/{path}", _webhook(name))
    return app


@asynccontextmanager
async def _running(app: web.Application, settings: Settings, chat: ChatService, sessions):
    services = Services(chat, WebChannel(chat, sessions), DossierEvents(settings, sessions, chat.outbox))
    app[SERVICES] = services
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_purge_forever(sessions, settings)),
             asyncio.create_task(_late_notices_forever(sessions, settings, chat.outbox))]
    try:
        for channel in platform_channels(settings, chat, sessions):
            await channel.start()
            services.channels.append(channel)
            chat.outbox.register(channel.name, channel.send_to)
        tasks.append(asyncio.create_task(chat.outbox.run(stop), name="outbox"))
        log.info("chat service ready: web%s", "".join(f", {c.name}" for c in services.channels))
        yield
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for channel in reversed(services.channels):
            await channel.stop()


def _web(route: str):
    async def handler(request: web.Request) -> web.Response:
        return await getattr(request.app[SERVICES].web, route)(request)

    return handler


def _webhook(name: str):
    async def handler(request: web.Request) -> web.Response:
        channel = next((c for c in request.app[SERVICES].channels if c.name == name), None)
        if channel is None:
            return web.Response(status=404, text="channel not configured")
        return await channel.webhook(request)

    return handler


async def _healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    return web.json_response({"status": "ok", "channels": ["web", *(c.name for c in services.channels)]})


async def _dossier_events(request: web.Request) -> web.Response:
    return await request.app[SERVICES].dossier_events.receive(request)


def platform_channels(settings: Settings, service: ChatService | None, sessions) -> list:
    """The platform channels whose tokens are set (without a service they can only send)."""
    channels: list = []
    if settings.telegram_enabled:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(settings, service))
    if settings.zalo_oa_enabled:
        from bot.channels.zalo_oa import ZaloOAChannel

        channels.append(ZaloOAChannel(settings, service, sessions))
    if settings.zalo_bot_enabled:
        from bot.channels.zalo_bot import ZaloBotChannel

        channels.append(ZaloBotChannel(settings, service))
    return channels


async def _purge_forever(sessions, settings: Settings) -> None:
    retention = timedelta(days=settings.question_log_retention_days)
    while True:
        async with sessions() as session, session.begin():
            removed = await ChatRepository(session).purge(retention)
            await DossierRepository(session, settings.zone).purge_failures(FAILURES_KEPT)
        if removed:
            log.info("purged %d questions older than %d days", removed, settings.question_log_retention_days)
        await asyncio.sleep(PURGE_EVERY_S)


async def _late_notices_forever(sessions, settings: Settings, outbox: OutboxSender) -> None:
    while True:
        try:
            async with sessions() as session, session.begin():
                if await queue_late_notices(session, settings.zone):
                    outbox.wake()
        except Exception:
            log.exception("late notices: this round failed; the next one retries")
        await asyncio.sleep(LATE_CHECK_EVERY_S)


def serve(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the bot token in URLs
    print(f"Trợ lý Một cửa: mở http://{settings.host}:{settings.port}/ để trò chuyện (Ctrl+C để dừng)")
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None, access_log=None,
                loop=_event_loop())
    return 0


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (Linux, macOS): the same asyncio API, less overhead per task."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def poll_telegram(settings: Settings, stop: asyncio.Event, matcher: Matcher | None = None) -> None:
    """Long-poll Telegram (no public URL needed) until ``stop`` is set."""
    from telegram.ext import Application

    from bot.channels.telegram import TelegramChannel

    if settings.telegram_bot_token is None:
        raise SystemExit("TELEGRAM_BOT_TOKEN chưa được đặt (xem .env.example)")
    application = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .build()
    )
    async with chat_service(settings, matcher) as (chat, _):
        channel = TelegramChannel(settings.model_copy(update={"public_base_url": None}), chat, application)
        await channel.start()
        try:
            await application.bot.delete_webhook()  # polling and a webhook cannot be used together
            await application.updater.start_polling(allowed_updates=["message", "callback_query"])
            await stop.wait()
            await application.updater.stop()
        finally:
            await channel.stop()


def run_telegram_polling(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print("Đang nhận tin Telegram (Ctrl+C để dừng)…")
        await poll_telegram(settings, stop)

    asyncio.run(main())
    return 0
