import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.measure import measure


class Command(BaseCommand):
    help = (
        "Measure every benchmark scenario against this database under gunicorn with "
        "production settings; write the figures as JSON. Usually run by bench_run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=10, help="seconds per scenario")
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
        parser.add_argument("--workers", type=int, default=0, help="0: 2 per core + 1")
        parser.add_argument("--only", nargs="*", help="scenario keys to run")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (set DATABASE_URL).")
        results = measure(
            duration=options["duration"],
            concurrency=options["concurrency"],
            client=options["client"],
            workers=options["workers"] or None,
            only=options["only"],
            log=self.stdout.write,
        )
        options["output"].write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
