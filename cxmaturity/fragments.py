"""Markup rendered once with markers where per-request values go, then filled in.

The busiest pages repeat markup that depends on few inputs: the question cards
of a section (the rubric and the language), the site header (the user, the
language, the page). Rendering it through the template engine for every
request cost more than everything else on those pages. A ``Fragment`` is
such markup rendered once with ``slot()`` markers in place of the values
that change per request (a chosen option, a CSRF token), split at the
markers; ``fill()`` joins it again with the values. The template stays the
one source of the markup.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# NUL never reaches a text or an answer (Django's form fields refuse it), and
# the nonce keeps a marker from being forged all the same.
_NONCE = secrets.token_hex(8)
_MARKER = re.compile(f"\x00{_NONCE}:([^\x00]*)\x00")


# The spaces that start a line, but inside <textarea> and <pre>, where they are content.
_INDENTATION_OR_AS_IS = re.compile(r"<(textarea|pre)\b.*?</\1\s*>|\n[ \t]+", re.S | re.I)


def without_indentation(html: str) -> str:
    """``html`` without the spaces that start its lines, which a browser shows as one newline.

    Kept markup is sent with every request of the busiest pages: the template
    indentation was an eighth of their bytes, which the server, the network
    and the browser all handled.
    """
    return _INDENTATION_OR_AS_IS.sub(lambda match: match[0] if match[1] else "\n", html)


def slot(name: str) -> SafeString:
    """A marker for the value ``name``, to render in place of the value."""
    return mark_safe(f"\x00{_NONCE}:{name}\x00")


class Fragment:
    """Rendered markup split at its slots: text, slot name, text, slot name, ..., text.

    Lines lose their indentation (:func:`without_indentation`).
    """

    def __init__(self, html: str) -> None:
        self.parts = _MARKER.split(without_indentation(html))
        self._names = tuple(self.parts[1::2])
        self._encoded = [part.encode() for part in self.parts]

    @property
    def slot_names(self) -> list[str]:
        return list(self._names)

    def fill(self, values: Mapping[str, str]) -> SafeString:
        """The markup with each slot's value; values must be escaped already."""
        parts = self.parts.copy()
        parts[1::2] = [values[name] for name in self._names]
        return mark_safe("".join(parts))

    def fill_bytes(self, values: Mapping[str, str | bytes]) -> bytes:
        """:meth:`fill` as UTF-8, for a response body; a value may be UTF-8 already.

        A page holding any character beyond Latin-1 (every page: the language
        menu, typographic quotes) is a two-byte-per-character string, and
        encoding a whole results page cost more than filling it in; the kept
        parts are encoded once, and only the values per request.
        """
        parts = self._encoded.copy()
        parts[1::2] = [
            value if isinstance(value := values[name], bytes) else value.encode()
            for name in self._names
        ]
        return b"".join(parts)


class FragmentCache:
    """Fragments by key, the least recently used dropped beyond ``size``. Thread-safe.

    For fragments whose key holds every input of their markup: nothing ever
    needs to be invalidated, and a process may keep them as long as it likes.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._fragments: OrderedDict[Hashable, Fragment] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], str]) -> Fragment:
        with self._lock:
            fragment = self._fragments.get(key)
            if fragment is not None:
                self._fragments.move_to_end(key)
                return fragment
        fragment = Fragment(render())
        with self._lock:
            self._fragments[key] = fragment
            while len(self._fragments) > self.size:
                self._fragments.popitem(last=False)
        return fragment

    def __len__(self) -> int:
        return len(self._fragments)

    def clear(self) -> None:
        with self._lock:
            self._fragments.clear()


def memo_cache(memo: dict[Any, Any], key: Hashable, *, size: int) -> FragmentCache:
    """The ``FragmentCache`` kept in ``memo`` (a rubric's, say) under ``key``, made when missing."""
    cache: FragmentCache | None = memo.get(key)
    if cache is None:  # not "or": an empty cache is falsy
        cache = memo.setdefault(key, FragmentCache(size=size))
    return cache
