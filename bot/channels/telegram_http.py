"""python-telegram-bot's transport on aiohttp, with JSON bodies.

PTB builds every Bot API call and parses every answer; only the HTTP transport is ours. Its
default (httpx) percent-encodes a form body character by character and runs anyio machinery
around each request: together about a third of the CPU of a reply. The Bot API takes
``application/json`` for every method except file uploads, which are sent as multipart.
"""
from __future__ import annotations

import asyncio
import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

NOT_GIVEN = type(BaseRequest.DEFAULT_NONE)  # "not given": use this client's default


class AiohttpRequest(BaseRequest):
    def __init__(self, connection_pool_size: int = 8, read_timeout: float = 5.0, write_timeout: float = 5.0,
                 connect_timeout: float = 5.0, pool_timeout: float = 1.0):
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout,
                          "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._pool_size))

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _timeout(self, name: str, given) -> float | None:
        return self._timeouts[name] if isinstance(given, NOT_GIVEN) else given

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE, write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE, pool_timeout=BaseRequest.DEFAULT_NONE):
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._timeout("read", read_timeout)
        connect = self._timeout("connect", connect_timeout)
        pool = self._timeout("pool", pool_timeout)
        # aiohttp's "connect" includes waiting for a free connection of the pool
        timeout = aiohttp.ClientTimeout(connect=None if connect is None or pool is None else connect + pool,
                                        sock_connect=connect, sock_read=read)
        headers = {"User-Agent": self.USER_AGENT}
        if request_data is None:
            body = None
        elif request_data.contains_files:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                body.add_field(name, value)
            for name, part in request_data.multipart_data.items():
                filename, content, content_type = part if len(part) == 3 else (*part, "application/octet-stream")
                body.add_field(name, content, filename=filename, content_type=content_type)
        else:
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
