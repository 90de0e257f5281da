"""Notifications: the inbox, e-mail now or in a daily digest per preference, reminder
schedules for due dates, and personal calendar feeds. Features tell people through
``opf.core.notices``; this package delivers."""
