from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opf.core.freshness import bump
from opf.core.registry import app_modules
from opf.organization.dataset import Dataset
from opf.organization.models import OrgUnit


class Command(BaseCommand):
    help = "Build an enterprise-scale dataset for benchmarks (scale 1: ~600 projects)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 20:
            raise CommandError("--scale must be above 0 and at most 20.")
        if OrgUnit.objects.exists():
            raise CommandError("The database is not empty; build the dataset in a fresh one.")
        data = Dataset(scale=options["scale"], seed=options["seed"])
        steps = [step for module in app_modules("dataset") for step in module.STEPS]
        started = time.perf_counter()
        with transaction.atomic():
            for step in steps:
                t0 = time.perf_counter()
                step(data)
                self.stdout.write(
                    f"  {step.__module__}.{step.__name__}: {time.perf_counter() - t0:.1f}s"
                )
        bump()  # bulk inserts send no signal: cached figures go
        self.stdout.write(
            self.style.SUCCESS(
                f"Dataset at scale {data.scale}: {len(data.units)} org units, "
                f"{len(data.projects)} projects in {time.perf_counter() - started:.1f}s."
            )
        )
