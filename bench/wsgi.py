"""The site's WSGI application with the bench-only floor page (bench/floor.py) added."""

from __future__ import annotations

from bench.floor import install
from cxmaturity.wsgi import application

install()

__all__ = ["application"]
