"""Whitenoise's compressed, hashed static files, with each file's URL worked out once.

``{% static %}`` looks the hashed name up in the manifest and joins it to
STATIC_URL on every call, a few per page on every page. The manifest is
written by ``collectstatic`` before the server starts and does not change
while it runs, so a name's URL is kept for the life of the process.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        urls: dict[str, str] = self.__dict__.setdefault("_urls", {})
        url = urls.get(name)
        if url is None:
            url = urls[name] = super().url(name)
        return url
