"""Kept markup (``cxmaturity.fragments``): split at its slots, filled in, without indentation."""

from __future__ import annotations

import pytest
from django.template import engines

from cxmaturity.fragments import Fragment, memo_cache, slot, without_indentation


def test_lines_lose_their_indentation_but_in_textareas_and_pre() -> None:
    html = (
        "<ul>\n    <li>One</li>\n\t\t<li>Two <b>bold</b>\n      words</li>\n</ul>\n"
        '  <textarea name="note">\n  first line\n      indented line</textarea>\n'
        "    <PRE>\n  code\n    more</PRE >\n  <p>after</p>"
    )
    assert without_indentation(html) == (
        "<ul>\n<li>One</li>\n<li>Two <b>bold</b>\nwords</li>\n</ul>\n"
        '<textarea name="note">\n  first line\n      indented line</textarea>\n'
        "<PRE>\n  code\n    more</PRE >\n<p>after</p>"
    )


def test_a_fragment_fills_its_slots_with_the_values_given() -> None:
    template = engines["django"].from_string(
        '<form>\n    <input name="a" value="{{ a }}">\n    <p>{{ b }} and {{ a }}</p>\n</form>'
    )
    fragment = Fragment(template.render({"a": slot("a"), "b": slot("b")}))
    assert fragment.slot_names == ["a", "b", "a"]
    assert fragment.fill({"a": "&lt;1&gt;", "b": "two"}) == (
        '<form>\n<input name="a" value="&lt;1&gt;">\n<p>two and &lt;1&gt;</p>\n</form>'
    )
    with pytest.raises(KeyError):
        fragment.fill({"a": "1"})


def test_a_fragment_fills_in_as_utf8_with_text_or_utf8_values() -> None:
    fragment = Fragment(f'<p lang="zh-hans">简体中文 “{slot("quote")}” · {slot("name")}</p>')
    values: dict[str, str | bytes] = {"quote": "引用", "name": "周丽娜".encode()}
    filled = fragment.fill_bytes(values)
    assert filled == '<p lang="zh-hans">简体中文 “引用” · 周丽娜</p>'.encode()
    assert filled.decode() == fragment.fill({"quote": "引用", "name": "周丽娜"})


def test_a_memo_keeps_one_fragment_cache_per_key_even_while_empty() -> None:
    memo: dict[object, object] = {}
    first = memo_cache(memo, "pages", size=2)
    assert len(first) == 0
    assert memo_cache(memo, "pages", size=2) is first
    first.get("a", lambda: "<p>a</p>")
    assert memo_cache(memo, "pages", size=2) is first
    assert memo_cache(memo, "other", size=2) is not first
