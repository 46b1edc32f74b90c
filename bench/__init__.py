"""``make bench`` and its helpers (run as scripts: python bench/run.py)."""
