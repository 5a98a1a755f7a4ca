import time

from django.core.management.base import BaseCommand, CommandError

from bench.seed import FULL_SIZE, SeedError, seed


class Command(BaseCommand):
    help = (
        "Fill the database with the benchmark data set (PostgreSQL): N projects and, in "
        "proportion, roles, departments, employees, memberships, citizens, proposals, supports "
        "and comments. Idempotent: a data set of the same size is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=FULL_SIZE)

    def handle(self, *args, projects, **options):
        if projects < 1:
            raise CommandError("--projects must be at least 1.")
        started = time.perf_counter()
        try:
            written = seed(projects, log=self.stdout.write)
        except SeedError as error:
            raise CommandError(str(error)) from error
        if written:
            seconds = time.perf_counter() - started
            self.stdout.write(f"Seeded {projects:,} projects in {seconds:.1f} s.")
