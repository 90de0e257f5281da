"""Initiatives: the program's improvement efforts (method, owning unit, owner, sponsor,
dates), which group appraisals, improvements and action plans (#20)."""
