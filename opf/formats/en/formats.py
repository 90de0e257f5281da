"""One way to write dates in English across lists, pages, exports to HTML and
partials: "15 Dec 2026" and "15 Dec 2026, 14:05" (unambiguous in every English
locale, short enough for a table). ``settings.FORMAT_MODULE_PATH`` points here;
``{{ value }}``, ``|date`` and ``opf.core.display.format_date`` all use it.
Input formats are Django's (a date field still takes 2026-12-15)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
