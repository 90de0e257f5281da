"""Improvements and process action plans: prioritization, plans with items and
effort, pilots with their criteria and evaluation."""
