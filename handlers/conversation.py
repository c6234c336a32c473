"""Channel-agnostic conversation about procedures: questions, follow-ups in context, choices."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.matching.matcher import Matcher, MatchResult
from bot.messages import Reply
from handlers.procedure import (
    ASPECT_LABELS,
    aspect_reply,
    clarify_reply,
    not_found_reply,
    procedure_card,
    reply_for,
)

_REJECTION = re.compile(r"^(không|ko|k|chưa) (phải|đúng)( (cái|thủ tục) (này|đó))?|^sai rồi|^nhầm rồi", re.IGNORECASE)


@dataclass
class ConversationState:
    """What the conversation is about; small and JSON-serialisable so it survives restarts."""

    code: str | None = None  # procedure under discussion
    candidates: list[str] = field(default_factory=list)  # last candidates, best first
    aspect: str = "general"
    dossier: str | None = None  # dossier code under discussion
    verified: list[str] = field(default_factory=list)  # dossier codes whose phone check passed
    awaiting: str | None = None  # "phone" (last 4 digits) or "comment" (after a rating)

    def as_dict(self) -> dict:
        data = {"code": self.code, "candidates": self.candidates, "aspect": self.aspect}
        if self.dossier:
            data |= {"dossier": self.dossier, "verified": self.verified, "awaiting": self.awaiting}
        return data

    @classmethod
    def from_dict(cls, data: dict | None) -> ConversationState:
        data = data or {}
        return cls(data.get("code"), list(data.get("candidates") or []), data.get("aspect") or "general",
                   data.get("dossier"), list(data.get("verified") or []), data.get("awaiting"))


@dataclass
class Turn:
    replies: list[Reply]
    result: MatchResult | None = None  # the match, when the turn asked the matcher


class ProcedureConversation:
    def __init__(self, matcher: Matcher):
        self.matcher = matcher

    def on_text(self, state: ConversationState, text: str) -> Turn:
        text = text.strip()
        if state.code and _REJECTION.match(text):
            others = [c for c in state.candidates if c != state.code]
            return self._offer_others(state, others)
        if state.code:
            aspect = self.matcher.follow_up_aspect(text)
            if aspect and aspect != "general" and state.code in self.matcher.catalogue:
                state.aspect = aspect
                return Turn([aspect_reply(self.matcher.catalogue[state.code], aspect)])
        result = self.matcher.match(text)
        state.candidates = [c.code for c in result.candidates]
        state.aspect = result.aspect
        state.code = result.candidates[0].code if result.status == "answer" else None
        return Turn([reply_for(self.matcher, result)], result)

    def on_action(self, state: ConversationState, action: str) -> Turn:
        kind, _, rest = action.partition(":")
        catalogue = self.matcher.catalogue
        if kind == "aspect":
            aspect, _, code = rest.partition(":")
            if aspect in ASPECT_LABELS and code in catalogue:
                state.code, state.aspect = code, aspect
                return Turn([aspect_reply(catalogue[code], aspect)])
        elif kind == "pick":
            code, _, aspect = rest.partition(":")
            if code in catalogue:
                state.code, state.aspect = code, aspect or "general"
                return Turn([procedure_card(catalogue[code], state.aspect)])
        elif kind == "ask" and rest:
            return self.on_text(state, rest)
        elif kind == "none":
            state.code = None
            return Turn([not_found_reply()])
        return Turn([not_found_reply()])

    def _offer_others(self, state: ConversationState, codes: list[str]) -> Turn:
        from bot.matching.matcher import Candidate
        from bot.matching.index import display_name

        catalogue = self.matcher.catalogue
        candidates = tuple(Candidate(c, display_name(catalogue[c]), 0.0) for c in codes if c in catalogue)
        state.code = None
        if not candidates:
            return Turn([not_found_reply()])
        return Turn([clarify_reply(MatchResult("clarify", state.aspect, candidates))])  # type: ignore[arg-type]
