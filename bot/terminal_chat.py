"""`motcua chat`: try the conversation in a terminal, no account needed."""
from __future__ import annotations

import sys

from bot.matching.matcher import Matcher
from bot.render import to_plain
from handlers.conversation import ConversationState, ProcedureConversation

WELCOME = (
    "Trợ lý Một cửa — hỏi về thủ tục hành chính (gõ 'thoát' để kết thúc).\n"
    "Khi có nút bấm, gõ số thứ tự của nút."
)


def run_terminal_chat(matcher: Matcher, stdin=sys.stdin, stdout=sys.stdout) -> int:
    conversation = ProcedureConversation(matcher)
    state = ConversationState()
    buttons: list = []
    print(WELCOME, file=stdout)
    while True:
        print("\nBạn: ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in {"thoát", "thoat", "exit", "quit"}:
            print("Chào anh/chị!", file=stdout)
            return 0
        text = line.strip()
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            turn = conversation.on_action(state, buttons[int(text) - 1].action)
        else:
            turn = conversation.on_text(state, text)
        buttons = []
        for reply in turn.replies:
            print("\nTrợ lý: " + to_plain(reply), file=stdout)
            for row in reply.buttons:
                for button in row:
                    buttons.append(button)
                    print(f"  [{len(buttons)}] {button.label}", file=stdout)
