from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opf.reference.services import ImportFailed, create_from_spec, parse_file


class Command(BaseCommand):
    help = "Import a reference model (ISO 9001, a company's own) from a JSON or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--abbreviation", default="", help="CSV only")
        parser.add_argument("--name", default="", help="CSV only")
        parser.add_argument("--model-version", dest="model_version", default="", help="CSV only")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        meta = {}
        if path.suffix.lower() == ".csv":
            meta = {
                "abbreviation": options["abbreviation"],
                "name": options["name"],
                "version": options["model_version"],
            }
        try:
            model = create_from_spec(parse_file(path.read_bytes(), path.name, **meta))
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(failure.errors)} problem(s); nothing was imported."
            ) from failure
        areas = model.process_areas.count()
        self.stdout.write(self.style.SUCCESS(f"Imported {model} with {areas} process areas."))
