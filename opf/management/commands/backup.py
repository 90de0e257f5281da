from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opf.backup import backup


class Command(BaseCommand):
    help = "Export the whole program (every record with its history, and uploaded files) to a ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The ZIP file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = backup(options["path"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {counts['records']} records and {counts['files']} files "
                f"to {options['path']}."
            )
        )
