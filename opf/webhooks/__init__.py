"""Webhooks: the process group registers endpoints for chosen events (state changes,
releases, hand-offs; ``opf.core.events``); each delivery is signed, sent by the worker
with retries and kept with its attempts. Features never import this package."""
