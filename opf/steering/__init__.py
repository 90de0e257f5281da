"""Steering: the committee and the process group (memberships), meetings with
decisions and follow-ups, the program's policy and plan, the executive dashboard and
the briefing that freezes it. It reaches the lifecycle apps only through the registry."""
