"""IncomingMessage → replies: conversation state, routing, the record of what happened.

Handlers are pure; the chat store keeps state in memory and writes it in batches.
"""
from __future__ import annotations

import logging
import re
import time

from bot.db.chat_store import ChatStore, question_record
from bot.dossiers.desk import DossierDesk
from bot.dossiers.outbox import OutboxSender
from bot.matching.index import display_name
from bot.matching.matcher import Matcher
from bot.messages import IncomingMessage, Reply
from handlers.conversation import ConversationState, ProcedureConversation, Turn
from handlers.procedure import COMMON_PROCEDURES
from handlers.start import help_reply, menu_reply, thanks_reply, unsupported_reply, welcome_reply

log = logging.getLogger(__name__)
_THANKS = re.compile(r"\b(cảm ơn|cám ơn|cam on|thanks|thank you|tks|thank)\b", re.IGNORECASE)
MAX_TEXT = 4000  # a question, not a document: longer text is cut before matching
MENU_SIZE = 6


def _label(name: str, limit: int = 40) -> str:
    name = name[:1].upper() + name[1:]
    return name if len(name) <= limit else name[: limit - 1].rsplit(" ", 1)[0] + "…"


class ChatService:
    def __init__(self, matcher: Matcher, store: ChatStore, desk: DossierDesk | None = None,
                 outbox: OutboxSender | None = None):
        self.matcher = matcher
        self.store = store
        self.conversation = ProcedureConversation(matcher)
        self.desk = desk
        self.outbox = outbox

    def first_time(self, key: str | None) -> bool:
        """Whether a platform update is new (channels drop retries before queueing them)."""
        return key is None or self.store.first_time(key)

    async def handle(self, message: IncomingMessage) -> list[Reply]:
        state_dict, menu = await self.store.conversation(message.channel, message.conversation_id)
        state = ConversationState.from_dict(state_dict)
        if self.outbox is not None:
            await self.outbox.user_wrote(message.channel, message.user_id)
        started = time.perf_counter()
        about_dossier = await self.desk.turn(message, state) if self.desk is not None else None
        turn = Turn(about_dossier) if about_dossier is not None else self.route(message, state, menu)
        latency_ms = (time.perf_counter() - started) * 1000
        with_buttons = [reply for reply in turn.replies if reply.buttons]
        actions = [button.action for row in with_buttons[-1].buttons for button in row] if with_buttons else menu
        question = None
        if turn.result is not None:
            best = turn.result.best
            code = best.code if best and turn.result.status != "none" else None
            question = question_record(message.text, turn.result.status, code, turn.result.aspect, latency_ms)
        payload = message.args[0] if message.command == "start" and message.args else None
        self.store.record(message.channel, message.conversation_id, message.user_id, state.as_dict(), actions,
                          payload, question)
        return turn.replies

    def menu(self, size: int = MENU_SIZE) -> list[tuple[str, str]]:
        """The most asked procedures lately, then the usual ones: (code, button label)."""
        catalogue = self.matcher.catalogue
        codes = [c for c in self.store.most_asked(size) if c in catalogue and catalogue[c].citizen_facing]
        entries = [(code, _label(display_name(catalogue[code]))) for code in codes]
        for code, label in COMMON_PROCEDURES:
            if len(entries) >= size:
                break
            if code not in codes:
                entries.append((code, label))
        return entries

    def mark_unreachable(self, channel: str, user_id: str, reason: str) -> None:
        self.store.mark_unreachable(channel, user_id, reason)

    def route(self, message: IncomingMessage, state: ConversationState, menu: list[str]) -> Turn:
        if message.kind == "command":
            command = (message.command or "").lower()
            if command == "start":
                return Turn([welcome_reply(self.menu())])
            if command == "menu":
                return Turn([menu_reply(self.menu())])
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
            return Turn([thanks_reply() if _THANKS.search(text) else welcome_reply(self.menu())])
        return self.conversation.on_text(state, text)
