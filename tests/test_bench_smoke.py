"""The benchmark of issue 9 on 100 projects for a few seconds, so it cannot rot.

The full run (``make bench``) is not part of the suite; this runs the same code: the
seed, gunicorn with production settings, every scenario under load, the query counts
and the report.
"""

import json
import shutil

import pytest
from django.conf import settings

from bench.load import warm_up_seconds
from bench.measure import measure
from bench.runner import combine, format_report
from bench.seed import SHOWCASE_SLUG, SeedError, Sizes, bench_projects, seed
from marketplace.models import Project
from participation.models import Comment, Membership
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the benchmark needs PostgreSQL (DATABASE_URL=postgres://...); SQLite has no COPY",
    ),
    pytest.mark.django_db(transaction=True),
]

PROJECTS = 100


@pytest.fixture(scope="session")
def bench_var_dir(tmp_path_factory):
    """One directory for collected static files and gunicorn's log, for every test here."""
    return tmp_path_factory.mktemp("bench-var")


def quiet(*args):
    pass


def test_the_seed_writes_every_table_in_proportion_and_only_once():
    assert seed(PROJECTS, log=quiet) is True
    sizes = Sizes.for_projects(PROJECTS)
    assert bench_projects().count() == PROJECTS
    assert Membership.objects.count() == sizes.memberships
    assert Comment.objects.count() == sizes.comments
    showcase = Project.objects.get(slug=SHOWCASE_SLUG)
    assert showcase.memberships.count() >= 10
    assert showcase.updates.count() > 0
    assert Project.objects.filter(search_vector__isnull=True).count() == 0

    assert seed(PROJECTS, log=quiet) is False  # the second run finds the set and skips
    assert bench_projects().count() == PROJECTS


def test_the_seed_refuses_a_database_with_projects_it_did_not_write():
    ProjectFactory(slug="real-project")
    with pytest.raises(SeedError, match="did not write"):
        seed(PROJECTS, log=quiet)
    assert bench_projects().count() == 0
    assert Project.objects.get().slug == "real-project"


@pytest.mark.long_running
def test_every_scenario_answers_under_load_with_its_query_count(bench_var_dir, tmp_path):
    seed(PROJECTS, log=quiet)
    results = measure(
        duration=1, concurrency=2, client="python", workers=2, var_dir=bench_var_dir, log=quiet
    )

    rows = {row["key"]: row for row in results["scenarios"]}
    assert len(rows) == 11
    for row in rows.values():
        assert row["status"] == 200, row
        assert row["requests"] > 0 and row["failed"] == 0, row
        assert 0 < row["p50_ms"] <= row["p99_ms"], row
        assert isinstance(row["queries"], int), row
    assert rows["baseline"]["queries"] == 0
    assert rows["baseline"]["baseline_ratio"] == 1.0
    # Under load the lists come from the cache; the first request after a change counts.
    assert rows["search"]["queries_cold"] > rows["search"]["queries"]
    assert rows["search"]["cold_ms"] > 0
    assert results["machine"]["cores"] >= 1
    assert results["run"]["client"] == "python"

    _check_working_day(results)

    combine(results, results)  # as make bench does with the small and the full run
    output = tmp_path / "results.json"
    output.write_text(json.dumps(results))
    written = json.loads(output.read_text())
    assert {row["key"] for row in written["scenarios"]} == set(rows)
    assert written["targets"][0] == {
        "target": "queries per request the same at both sizes",
        "met": True,
        "value": "",
    }
    report = format_report(written)
    assert "| Browse, search + 2 filters | 200 |" in report


def _check_working_day(results):
    """The writer wrote through the services while browse and search ran, then cleaned up."""
    from marketplace.models import ProjectUpdate

    if not settings.REDIS_URL:
        return
    mixed = {(row["scenario"], row.get("writes_label", "none")): row for row in results["mixed"]}
    assert set(mixed) == {
        (scenario, label)
        for scenario in ("browse", "search")
        for label in ("none", "one write every 10 s", "one write a second")
    }
    for row in mixed.values():
        assert row["requests"] > 0 and row["failed"] == 0, row
        assert row["slowest_ms"] >= row["p99_ms"] and row["over_1s"] is not None, row
    writing = [row for row in mixed.values() if row["write_interval_s"]]
    written = [
        (row["key"], row["write_interval_s"], row["writes"], row["write_errors"]) for row in writing
    ]
    assert all(writes > 0 and not errors for _, _, writes, errors in written), written
    assert not ProjectUpdate.objects.filter(title__startswith="Stand ").exists()  # cleaned up
    visits = results["first_visits"]
    assert visits["status"] == 200 and visits["visitors"] > 0, visits
    assert visits["first_ever_ms"] > 0 and visits["first_ever_queries"] > 0, visits
    assert results["redis_keys"]["written"] > 0 and results["redis_keys"]["left"] == 0
    assert "| browse | one write a second |" in format_report(results)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed (apt-get install wrk)")
def test_wrk_measures_the_same_scenarios(bench_var_dir):
    seed(PROJECTS, log=quiet)
    results = measure(
        duration=1,
        concurrency=2,
        client="wrk",
        workers=2,
        var_dir=bench_var_dir,
        only=["baseline", "search"],
        log=quiet,
    )
    rows = {row["key"]: row for row in results["scenarios"]}
    assert set(rows) == {"baseline", "search"}
    for row in rows.values():
        assert row["status"] == 200 and row["requests"] > 0 and row["failed"] == 0, row
        assert 0 < row["p50_ms"] <= row["p99_ms"], row
    assert results["run"]["client"] == "wrk"


def test_the_full_run_warms_up_for_two_seconds_and_the_smoke_for_a_fifth_of_a_row():
    assert warm_up_seconds(10) == warm_up_seconds(30) == 2.0
    assert warm_up_seconds(1) == 0.2
