"""Telegram HTML parsing rules of the fake."""

from __future__ import annotations

import pytest

from fakes.telegram_html import EntityParseError, parse_html


def test_plain_text_and_entities_with_utf16_offsets() -> None:
    parsed = parse_html('😀 <b>Đ<i>ơn</i></b> <a href="https://x.vn/?a=1&amp;b=2">link</a>')
    assert parsed.text == "😀 Đơn link"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "italic", "offset": 4, "length": 2},
        {"type": "text_link", "offset": 7, "length": 4, "url": "https://x.vn/?a=1&b=2"},
    ]


def test_entities_and_aliases() -> None:
    parsed = parse_html("&lt;x&gt; &amp; &quot; &#39; &nbsp; <strong>s</strong><del>d</del>")
    assert parsed.text == "<x> & \" ' &nbsp; sd"
    assert [e["type"] for e in parsed.entities] == ["bold", "strikethrough"]


def test_pre_code_language_merges() -> None:
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("é<b", "Unclosed start tag at byte offset 2"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_invalid_markup(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value).startswith(message)
