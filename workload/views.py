"""/workload/: the report, a department's page, the CSV export and snapshots by hand.

Every page costs the same number of queries however many people a snapshot
holds: the figures are stored with the snapshot, and people come a page at a time.
"""

import csv
import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.query_numbers import WholeNumberField, page_or_404
from workload import charts, report_cache
from workload import report as report_rules
from workload import snapshots as snapshot_service
from workload.models import WorkloadDepartmentFigure, WorkloadSnapshot
from workload.permissions import is_administrator

PEOPLE_PER_PAGE = 50
# Rendered parts of the report, per process: a snapshot never changes, and a new one
# changes the key (the trend names it), as does a change to departments or an erasure
# (``report_cache``'s version).
REPORT_PARTS_SECONDS = 24 * 3600
ROW_ORDER = ["department_code", "employee_name", "id"]
LARGEST_ID = 2**31 - 1
CSV_COLUMNS = [
    "reference_date",
    "employee",
    "department_code",
    "department",
    "weekly_hours",
    "project_hours",
    "project_share",
    "department_share",
    "state",
]


class ReportQueryForm(forms.Form):
    """The query string of the report pages: which snapshot, which department (export)."""

    snapshot = WholeNumberField(min_value=1, max_value=LARGEST_ID, required=False)
    department = WholeNumberField(min_value=1, max_value=LARGEST_ID, required=False)


def _query(request) -> dict:
    form = ReportQueryForm(request.GET)
    if not form.is_valid():
        raise BadRequest("malformed query")
    return form.cleaned_data


def _select_snapshot(snapshots: list, wanted: int | None):
    """The snapshot asked for, or the newest; 404 for an id that does not exist."""
    if wanted is None:
        return snapshots[0] if snapshots else None
    for snapshot in snapshots:
        if snapshot.pk == wanted:
            return snapshot
    raise Http404


def _trend_snapshots(snapshots: list, selected) -> list:
    """The selected snapshot and those before it, oldest first."""
    index = snapshots.index(selected)
    return list(reversed(snapshots[index : index + report_rules.TREND_LENGTH]))


def _page_of(request, rows):
    paginator = Paginator(rows, PEOPLE_PER_PAGE)
    return page_or_404(paginator, request.GET.get("page"))


def _date_label(snapshot) -> str:
    # Django's English SHORT_DATE_FORMAT is American (09/01/2026), which readers
    # elsewhere take for 9 January; each language names its own short format.
    return date_format(snapshot.reference_date, pgettext("short date on a chart axis", "j M Y"))


# --- Chart contexts -----------------------------------------------------------------


def _percent(share) -> int | None:
    return None if share is None else round(share * 100)


def _trend(trend: list, series: list[tuple[str, list]], summary: str) -> dict:
    """A line chart over the trend's snapshots, with the same figures as a table."""
    labels = [_date_label(s) for s in trend]
    return {
        "chart": charts.line_chart(labels, series, trend[-1].target),
        "header": [name for name, _shares in series],
        "rows": [
            (label, [_percent(shares[index]) for _name, shares in series])
            for index, label in enumerate(labels)
        ],
        "summary": summary,
    }


def _organisation_trend(trend: list, audience) -> dict:
    shares = [
        s.project_share
        if audience.sees_people or s.employee_count >= report_rules.K_ANONYMITY
        else None
        for s in trend
    ]
    summary = report_rules.trend_summary(
        [(s.reference_date, share) for s, share in zip(trend, shares, strict=True)],
        trend[-1].target_percent,
    )
    return _trend(trend, [(_("Organisation"), shares)], summary)


def _department_trends(trend: list, department_ids: list, tree) -> dict | None:
    """One line per department in ``department_ids`` over the trend's snapshots (one query)."""
    if not department_ids:
        return None
    figures = WorkloadDepartmentFigure.objects.filter(
        snapshot__in=trend, department_id__in=department_ids
    ).only("snapshot_id", "department_id", "project_share")
    shares = {(f.snapshot_id, f.department_id): f.project_share for f in figures}
    ordered = sorted(department_ids, key=lambda pk: tree[pk].code)
    series = [(tree[pk].name, [shares.get((s.pk, pk)) for s in trend]) for pk in ordered]
    latest = [(name, points[-1]) for name, points in series if points[-1] is not None]
    return _trend(trend, series, _latest_summary(latest, trend[-1]))


def _latest_summary(shown: list, snapshot) -> str:
    if not shown:
        return _("There are no figures to show yet.")
    parts = ", ".join(f"{name}: {round(share * 100)} %" for name, share in shown)
    return _("On %(date)s: %(parts)s (target %(target)s %%).") % {
        "date": date_format(snapshot.reference_date),
        "parts": parts,
        "target": snapshot.target_percent,
    }


def _departments_chart(figures: list, snapshot) -> dict:
    return {
        "chart": charts.bar_chart(
            [(f.department_code, f.project_share) for f in figures], snapshot.target
        ),
        "summary": report_rules.departments_summary(figures, snapshot.target_percent),
    }


def _distribution(totals) -> dict:
    labels = report_rules.histogram_labels()
    return {
        "totals": totals,
        "chart": charts.histogram_chart(totals.histogram, [label["short"] for label in labels]),
        "rows": list(zip(labels, totals.histogram, strict=True)),
        "summary": report_rules.distribution_summary(totals),
    }


def _totals_of(figure):
    """A stored figure (snapshot or department) as ``Totals`` for the distribution."""
    totals = snapshot_service.Totals(
        employee_count=figure.employee_count,
        weekly_hours=figure.weekly_hours,
        project_hours=figure.project_hours,
    )
    totals.states = figure.state_counts
    totals.histogram = list(figure.histogram) or totals.histogram
    return totals


# --- The report ---------------------------------------------------------------------


@require_safe
def report(request):
    query = _query(request)
    current = report_cache.version()
    snapshots, tree = report_cache.snapshots_and_tree(current, request.user.is_authenticated)
    snapshot = _select_snapshot(snapshots, query["snapshot"])
    audience = report_rules.audience_for(request.user, tree)
    context = {
        "snapshots": snapshots,
        "snapshot": snapshot,
        "audience": audience,
        "can_take_snapshot": is_administrator(request.user),
    }
    if snapshot is not None:
        context.update(_report_context(request, current, snapshot, snapshots, audience, tree))
    return render(request, "workload/report.html", context)


class _Later:
    """A value computed when a template first asks for it (templates call callables).

    The report's parts are rendered from a snapshot, which never changes: while
    they are cached (``report_parts_key``), what they show is never computed.
    """

    def __init__(self, compute):
        self._compute, self._value, self._done = compute, None, False

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def _report_parts_key(request, current, snapshot, trend, audience) -> str:
    """Everything the cached parts depend on: the snapshot, its trend, the reader's view.

    ``current`` is ``report_cache``'s version: a renamed department or erased rows.
    """
    parts = (
        current,
        snapshot.pk,
        tuple(s.pk for s in trend),
        audience.is_admin,
        audience.sees_people,
        tuple(sorted(audience.headed)),
        get_language(),
        request.GET.get("page", ""),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _report_context(request, current, snapshot, snapshots, audience, tree) -> dict:
    trend = _trend_snapshots(snapshots, snapshot)
    figures = _Later(
        lambda: report_rules.visible_figures(
            list(snapshot.department_figures.all()), snapshot, audience
        )
    )
    context = {
        "report_parts_key": _report_parts_key(request, current, snapshot, trend, audience),
        "report_parts_seconds": REPORT_PARTS_SECONDS,
        "organisation_visible": audience.sees_people
        or snapshot.employee_count >= report_rules.K_ANONYMITY,
        "organisation_trend": _Later(lambda: _organisation_trend(trend, audience)),
        "figures": figures,
        "departments": _Later(lambda: _departments_chart(figures(), snapshot)),
        "own_row": report_cache.own_row(current, request.user, snapshot),
        "k_anonymity": report_rules.K_ANONYMITY,
    }
    if audience.sees_people:
        if audience.is_admin:
            roots = [pk for pk, node in tree.items() if node.parent_id is None]
            totals = _Later(lambda: _totals_of(snapshot))
        else:
            roots = sorted(audience.headed)
            totals = _Later(lambda: report_rules.combined_figures(figures()))
        context.update(
            department_trends=_Later(lambda: _department_trends(trend, roots, tree)),
            distribution=_Later(lambda: _distribution(totals())),
            people=_Later(
                lambda: _page_of(
                    request, report_rules.rows_for(snapshot, audience).order_by(*ROW_ORDER)
                )
            ),
            export_url=f"{reverse('workload-export')}?snapshot={snapshot.pk}",
        )
    return context


# --- A department's page ------------------------------------------------------------


def _department_for(request, pk, tree):
    """The department and the reader's audience; 404 unless the reader heads it (or above it)."""
    audience = report_rules.audience_for(request.user, tree)
    if pk not in tree or not audience.sees_people or not audience.may_see_department(pk):
        raise Http404
    return tree[pk], audience


@require_safe
def department(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    query = _query(request)
    tree = snapshot_service.department_tree()
    node, audience = _department_for(request, pk, tree)
    snapshots = list(WorkloadSnapshot.objects.all())
    snapshot = _select_snapshot(snapshots, query["snapshot"])
    context = {
        "department": node,
        "audience": audience,
        "snapshots": snapshots,
        "snapshot": snapshot,
    }
    if snapshot is not None:
        context.update(_department_context(request, node, snapshot, snapshots, audience, tree))
    return render(request, "workload/department.html", context)


def _department_context(request, node, snapshot, snapshots, audience, tree) -> dict:
    figures = report_rules.visible_figures(
        list(snapshot.department_figures.all()), snapshot, audience, within=node.pk
    )
    figure = next((f for f in figures if f.department_id == node.pk), None)
    below = [f for f in figures if report_rules.lineage_ids(f.lineage)[-2:-1] == (node.pk,)]
    children = [pk for pk, n in tree.items() if n.parent_id == node.pk]
    rows = report_rules.rows_within(snapshot, {node.pk}).order_by(*ROW_ORDER)
    return {
        "figure": figure,
        "figures": below,
        "departments": _departments_chart(below, snapshot),
        "department_trends": _department_trends(
            _trend_snapshots(snapshots, snapshot), [node.pk, *children], tree
        ),
        "distribution": _distribution(_totals_of(figure)) if figure else None,
        "people": _page_of(request, rows),
        "export_url": f"{reverse('workload-export')}?snapshot={snapshot.pk}&department={node.pk}",
    }


# --- CSV export and snapshots by hand -----------------------------------------------


def _safe_cell(value):
    """Spreadsheets run cells that start with these as formulas: keep names as text."""
    text = str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@require_safe
def export(request):
    """The rows a head (their departments) or an administrator (all) may read, as CSV."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    query = _query(request)
    tree = snapshot_service.department_tree()
    audience = report_rules.audience_for(request.user, tree)
    if not audience.sees_people:
        raise PermissionDenied
    if query["department"] is not None:
        _department_for(request, query["department"], tree)
    snapshots = WorkloadSnapshot.objects.all()
    if query["snapshot"] is not None:
        snapshots = snapshots.filter(pk=query["snapshot"])
    snapshot = snapshots.first()
    if snapshot is None:
        raise Http404
    rows = report_rules.rows_for(snapshot, audience, query["department"]).order_by(*ROW_ORDER)
    return _csv_response(snapshot, rows)


def _csv_response(snapshot, rows) -> HttpResponse:
    day = snapshot.reference_date.isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workload-{day}-{snapshot.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                day,
                _safe_cell(row.employee_name),
                _safe_cell(row.department_code),
                _safe_cell(row.department_name),
                row.weekly_hours,
                row.project_hours,
                row.project_share,
                row.department_share,
                row.state,
            ]
        )
    return response


@require_POST
def take_snapshot(request):
    """An administrator takes a snapshot of today at once (a few seconds at most)."""
    if not is_administrator(request.user):
        raise PermissionDenied
    snapshot = snapshot_service.take_snapshot(
        timezone.localdate(), created_by=request.user, origin=WorkloadSnapshot.Origin.BUTTON
    )
    messages.success(
        request,
        _("The snapshot of %(date)s is ready.") % {"date": date_format(snapshot.reference_date)},
    )
    return redirect(snapshot.get_absolute_url())
