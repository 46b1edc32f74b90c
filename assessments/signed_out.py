"""Answers posted after the session ended, kept until the lead signs in again.

A section POST that arrives signed out (the session expired, or the lead
logged out in another tab) carries answers nobody may store yet. They are
kept in the new anonymous session, which Django's ``login()`` keeps (it
rotates the key, not the data); the section page stores them through the
normal form and service once its user, who must be the assessment's own
respondent, opens it. Nothing is stored for a user who may not answer it:
the section page is a 404 for them before the stash is read.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict

from assessments.forms import FIELD_PREFIXES

SESSION_KEY = "assessments_signed_out_answers"
# Sections kept at most: a lead answers one section at a time; this bounds the
# session row whatever an anonymous client posts.
MAX_SECTIONS = 5


def _key(pk: int, number: int) -> str:
    return f"{pk}:{number}"


def stash_section_post(session: SessionBase, *, pk: int, number: int, data: QueryDict) -> bool:
    """Keep the answer, note and clear fields of a section POST; False when it had none."""
    fields = {name: data.getlist(name) for name in data if name.startswith(FIELD_PREFIXES)}
    if not fields:
        return False
    stash: dict[str, dict[str, list[str]]] = dict(session.get(SESSION_KEY, {}))
    stash.pop(_key(pk, number), None)
    stash[_key(pk, number)] = fields  # the newest last, so the oldest go first
    session[SESSION_KEY] = dict(list(stash.items())[-MAX_SECTIONS:])
    return True


def has_section_post(session: SessionBase, *, pk: int, number: int) -> bool:
    return _key(pk, number) in session.get(SESSION_KEY, {})


def pop_section_post(session: SessionBase, *, pk: int, number: int) -> QueryDict | None:
    """The stashed POST of that section, as a QueryDict, removed from the session."""
    stash: dict[str, dict[str, list[str]]] = dict(session.get(SESSION_KEY, {}))
    fields = stash.pop(_key(pk, number), None)
    if fields is None:
        return None
    if stash:
        session[SESSION_KEY] = stash
    else:
        del session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data
