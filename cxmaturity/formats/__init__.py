"""Date formats of the project's own, read through ``FORMAT_MODULE_PATH``.

Only English is here: Django's ``en`` formats write "Dec. 7, 2026", which
reads as American and differs from page to page ("N j, Y", "m/d/Y"). Chinese
keeps Django's zh_Hans formats ("2026年12月7日"), so it has no module here.
"""
