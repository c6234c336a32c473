"""A stand-in webhook endpoint for testing the sender helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from multidict import CIMultiDict


@dataclass
class Capture:
    """Headers and raw bodies POSTed to ``url``."""

    url: str = ""
    requests: list[tuple[CIMultiDict[str], bytes]] = field(default_factory=list)


@asynccontextmanager
async def serve_capture() -> AsyncIterator[Capture]:
    """Serve ``POST /hook`` on 127.0.0.1 answering 200 "ok" and record each request."""
    captured = Capture()

    async def hook(request: web.Request) -> web.Response:
        captured.requests.append((CIMultiDict(request.headers), await request.read()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        captured.url = f"http://{host}:{port}/hook"
        yield captured
    finally:
        await runner.cleanup()
