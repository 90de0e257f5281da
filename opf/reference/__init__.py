"""Reference models (CMMI-DEV and imported ones): process areas, goals and practices,
and their import from JSON or CSV."""
