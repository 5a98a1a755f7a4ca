"""The sliding window of accounts.rate_limit: no second helping of the limit at a boundary."""

import pytest

from accounts import rate_limit
from tests.conftest import clear_cache


@pytest.fixture
def clock(monkeypatch):
    """A settable ``time.time`` for the module under test."""
    now = {"t": 0.0}
    monkeypatch.setattr(rate_limit.time, "time", lambda: now["t"])
    clear_cache()
    yield now
    clear_cache()


def counts_at(clock, times: list[float], name: str = "test-rate:1") -> list[float]:
    counts = []
    for moment in times:
        clock["t"] = 6_000_000 + moment  # a multiple of 60: moment 0 starts a window
        counts.append(rate_limit.count_within_window(name, 60))
    return counts


def test_counts_within_one_window_add_up(clock):
    assert counts_at(clock, [1, 2, 3]) == [1, 2, 3]


def test_the_count_just_after_a_boundary_still_holds_the_previous_minute(clock):
    *_, after = counts_at(clock, [59.0, 59.2, 59.4, 59.6, 59.8, 60.1])
    assert after > 5  # a fixed window would say 1
    assert after == pytest.approx(1 + 5 * (1 - 0.1 / 60))


def test_the_previous_minute_fades_out_as_the_window_slides(clock):
    counts = counts_at(clock, [10, 20, 30, 90, 125])
    assert counts[3] == pytest.approx(1 + 3 * 0.5)  # halfway into the next window
    assert counts[4] == pytest.approx(1 + 1 * (1 - 5 / 60))  # two windows on: only 90 s is left


def test_people_are_counted_apart(clock):
    counts_at(clock, [1, 2, 3], name="test-rate:1")
    assert counts_at(clock, [4], name="test-rate:2") == [1]
