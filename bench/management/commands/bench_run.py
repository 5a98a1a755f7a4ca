from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.runner import RESULTS_PATH, run
from bench.seed import FULL_SIZE


class Command(BaseCommand):
    help = (
        "The benchmark of issue 9 (make bench): query counts at --small projects in a scratch "
        "database, then seed --projects into DATABASE_URL and measure every scenario there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=FULL_SIZE)
        parser.add_argument("--small", type=int, default=100, help="0 skips the small run")
        parser.add_argument("--duration", type=float, default=10, help="seconds per scenario")
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
        parser.add_argument("--workers", type=int, default=0, help="0: 2 per core + 1")
        parser.add_argument("--output", type=Path, default=RESULTS_PATH)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        results = run(
            connection.settings_dict,
            projects=options["projects"],
            small=options["small"],
            duration=options["duration"],
            concurrency=options["concurrency"],
            client=options["client"],
            workers=options["workers"],
            output=options["output"],
            log=self.stdout.write,
        )
        failed = [
            row["key"]
            for row in results["scenarios"]
            if row["status"] not in (200, "missing")
            or row.get("failed")
            or row.get("requests") == 0
        ]
        if failed:
            raise CommandError(f"Scenarios without a 200 for every request: {failed}")
