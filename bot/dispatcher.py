"""IncomingMessage → replies: dedupe, user and conversation state, routing, question log.

Handlers are pure; this is the one place that opens a transaction around a message.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.chat import ChatRepository
from bot.matching.matcher import Matcher
from bot.messages import IncomingMessage, Reply
from handlers.conversation import ConversationState, ProcedureConversation, Turn
from handlers.start import help_reply, menu_reply, thanks_reply, unsupported_reply, welcome_reply

log = logging.getLogger(__name__)
_THANKS = re.compile(r"\b(cảm ơn|cám ơn|cam on|thanks|thank you|tks|thank)\b", re.IGNORECASE)
MAX_TEXT = 4000  # a question, not a document: longer text is cut before matching


@dataclass(frozen=True)
class Handled:
    replies: list[Reply]
    duplicate: bool = False


class ChatService:
    def __init__(self, matcher: Matcher, sessions: async_sessionmaker[AsyncSession]):
        self.matcher = matcher
        self.sessions = sessions
        self.conversation = ProcedureConversation(matcher)

    async def handle(self, message: IncomingMessage) -> Handled:
        async with self.sessions() as session, session.begin():
            repo = ChatRepository(session)
            if message.dedupe_key and not await repo.first_time(message.dedupe_key):
                return Handled([], duplicate=True)
            payload = message.args[0] if message.command == "start" and message.args else None
            await repo.touch_user(message.channel, message.user_id, payload)
            stored, menu = await repo.conversation(message.channel, message.conversation_id)
            state = ConversationState.from_dict(stored)
            started = time.perf_counter()
            turn = self.route(message, state, menu)
            latency_ms = (time.perf_counter() - started) * 1000
            with_buttons = [reply for reply in turn.replies if reply.buttons]
            actions = [button.action for row in with_buttons[-1].buttons for button in row] if with_buttons else []
            await repo.save_conversation(message.channel, message.conversation_id, state.as_dict(), actions or menu)
            if turn.result is not None:
                best = turn.result.best
                await repo.log_question(
                    message.channel,
                    message.text,
                    turn.result.status,
                    best.code if best and turn.result.status != "none" else None,
                    turn.result.aspect,
                    latency_ms,
                )
        return Handled(turn.replies)

    async def mark_unreachable(self, channel: str, user_id: str, reason: str) -> None:
        async with self.sessions() as session, session.begin():
            await ChatRepository(session).mark_unreachable(channel, user_id, reason)

    def route(self, message: IncomingMessage, state: ConversationState, menu: list[str]) -> Turn:
        if message.kind == "command":
            command = (message.command or "").lower()
            if command == "start":
                return Turn([welcome_reply()])
            if command == "menu":
                return Turn([menu_reply()])
            return Turn([help_reply()])
        if message.kind == "action" and message.action:
            return self.conversation.on_action(state, message.action)
        if message.kind == "event":
            return Turn([unsupported_reply()]) if message.text == "unsupported" else Turn([])
        text = message.text.strip()[:MAX_TEXT]
        if not text:
            return Turn([unsupported_reply()])
        if text.isdigit() and 1 <= int(text) <= len(menu):
            return self.conversation.on_action(state, menu[int(text) - 1])
        if not self.matcher.normalizer(text).tokens:
            return Turn([thanks_reply() if _THANKS.search(text) else welcome_reply()])
        return self.conversation.on_text(state, text)
