"""`motcua` command line: one entry point, one subcommand per task."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _matcher():
    from bot.catalogue.provider import build_matcher

    return build_matcher()


def cmd_match(args: argparse.Namespace) -> int:
    from bot.matching.jsonl import match_stream

    if not args.jsonl:
        print("motcua match: dùng --jsonl (đọc JSON lines từ stdin)", file=sys.stderr)
        return 2
    match_stream(_matcher(), sys.stdin.buffer, sys.stdout)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.render import to_plain
    from handlers.procedure import answer_question

    reply = answer_question(_matcher(), " ".join(args.question))
    print(to_plain(reply))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.terminal_chat import run_terminal_chat

    return run_terminal_chat(_matcher())


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.matching.evaluate import evaluate, format_report, read_questions

    matcher = _matcher()
    questions = read_questions(Path(args.file))
    report = evaluate(questions, matcher.match)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, f"{args.file} ({len(questions)} câu)"))
    for error in report.errors[: args.errors]:
        print(json.dumps(error, ensure_ascii=False), file=sys.stderr)
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from bot.catalogue.build import main as build_main

    return build_main(args.rest)


def cmd_db(args: argparse.Namespace) -> int:
    from bot.db.cli import main as db_main

    return db_main(args.rest)


def cmd_dossiers(args: argparse.Namespace) -> int:
    from bot.dossiers.cli import main as dossiers_main

    return dossiers_main(args.rest)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app import serve

    return serve()


def cmd_poll_telegram(args: argparse.Namespace) -> int:
    from bot.app import run_telegram_polling

    return run_telegram_polling()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motcua", description="Trợ lý Một cửa — thủ tục hành chính cấp xã")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("match", help="JSON lines {id, text} trên stdin → kết quả khớp thủ tục")
    p.add_argument("--jsonl", action="store_true", help="đọc và ghi JSON lines")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("ask", help="trả lời một câu hỏi như trên kênh chat")
    p.add_argument("question", nargs="+")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="trò chuyện thử trong terminal")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="đo chất lượng trên tệp câu hỏi có nhãn")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="in N câu sai ra stderr")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("catalogue", help="xây dựng danh mục thủ tục: motcua catalogue build")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_catalogue)

    p = sub.add_parser("db", help="cơ sở dữ liệu: motcua db upgrade | history MÃ")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("dossiers", help="hồ sơ: motcua dossiers import TỆP | stats | send")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_dossiers)

    p = sub.add_parser("serve", help="chạy máy chủ chat (web, Telegram, Zalo)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("poll-telegram", help="nhận tin Telegram bằng long polling (không cần địa chỉ công khai)")
    p.set_defaults(func=cmd_poll_telegram)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "catalogue":
        if not args.rest or args.rest[0] != "build":
            print("motcua catalogue: dùng 'motcua catalogue build [--source DIR] [--out FILE]'", file=sys.stderr)
            return 2
        args.rest = args.rest[1:]
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
