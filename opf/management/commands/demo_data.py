from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from opf.core.freshness import bump
from opf.core.registry import app_modules
from opf.organization import demo
from opf.organization.models import OrgUnit


def steps() -> list[Callable[[demo.Demo], None]]:
    """Every contributor's ``STEPS``, then ``LATE_STEPS`` (data shaped against what all
    made), then ``CLOSING_STEPS`` (steering's briefing freezes the dashboard figures)."""
    modules = app_modules("demo")
    return [
        step
        for stage in ("STEPS", "LATE_STEPS", "CLOSING_STEPS")
        for module in modules
        for step in getattr(module, stage, ())
    ]


class Command(BaseCommand):
    help = "Build a believable demo organization and print its sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print sign-ins) if data exists.",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Migrate the database first, in this process (./dev start: Django starts "
            "once, not twice, on a newcomer's first start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["migrate"]:
            call_command(
                "migrate", interactive=False, verbosity=options["verbosity"], stdout=self.stdout
            )
        if OrgUnit.objects.exists():
            if not options["if_empty"]:
                self.stderr.write("The database already has an organization; demo data not loaded.")
            else:
                self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                state = demo.Demo()
                for step in steps():
                    step(state)
            bump()  # bulk inserts send no signal: cached figures go
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data: {len(state.units)} org units, {len(state.projects)} projects, "
                    f"{len(state.users)} people."
                )
            )
        self.stdout.write("Sign in as (role: username / password):")
        for role, username, password in demo.sign_ins():
            self.stdout.write(f"  {role:<32} {username:<10} / {password}")
