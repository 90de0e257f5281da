"""Generic server-rendered pages: list, detail, form and step views (``ObjectViews``),
forms, filters, tables, HTMX helpers, history and exports."""
