"""Writes of the audits-and-lessons area, used by pages, the API, tasks and the demo."""
