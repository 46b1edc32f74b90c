"""English dates: one unambiguous day-month-year format on pages, emails and PDFs.

Django reads this module before its own ``en`` formats and takes each name
from the first module that has it, so the input formats (ISO first, which
``<input type="date">`` sends) stay Django's.
"""

from __future__ import annotations

DATE_FORMAT = "j M Y"  # 7 Dec 2026
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"  # 7 Dec 2026, 14:30
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
