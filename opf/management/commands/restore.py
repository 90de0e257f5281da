from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opf.backup import restore


class Command(BaseCommand):
    help = "Load a backup ZIP into an empty, migrated database (python manage.py migrate first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup ZIP to load.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = restore(options["path"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {counts['records']} records and {counts['files']} files.")
        )
