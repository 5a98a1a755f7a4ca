"""A project's page, kept rendered: what it shows everyone is rendered once per change.

Each project has a *version* in the shared cache (Redis), drawn anew whenever
anything the page shows of it changes: the project itself, its leads and topics,
its roles and seats, its updates, and what other apps show on it (members,
rounds, ideas, comments; those apps report their changes through
``invalidate_project``, see ``marketplace.apps`` and ``participation.apps``).
A second version, *names*, changes with what many pages share: people's public
names, departments, topics and skills.

What is kept, in each process's own memory (``counts_cache.LOCAL``) under keys
that carry both versions, the day and the language:

- the *head*: the project row with its department, leads and topics, enough to
  decide who may see the page and how (``can_view_project``, ``sees_full_project``),
  so a page whose parts are all kept costs no query;
- the page's parts as rendered (the template's ``{% cache %}`` blocks): the parts
  everyone sees alike, and for anonymous visitors the whole page content.

Personal parts (the follow button, what a signed-in visitor may do about a role,
the comment forms with their CSRF tokens, the way into the team space, a lead's
controls) are never kept: they are rendered per request, outside the kept parts.
Leads and administrators get the page as it is, rendered afresh.

The version is read before anything is loaded from the database, so a part made
from data older than a change is kept under the version before it. A change
draws a new version at once and again when its transaction commits (as
``counts_cache.invalidate`` does). Redis is an accelerator: without it each
process keeps versions of its own, and the timeout bounds what a version misses.
"""

import logging
import uuid

from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from marketplace import counts_cache
from marketplace.models import Project

logger = logging.getLogger(__name__)

NAMES_KEY = "marketplace:project-page:names"
TIMEOUT = counts_cache.TIMEOUT
MAX_SLUGS = 50_000  # slug -> id, in this process; cleared when it grows past this

_slugs: dict[str, int] = {}
_own_versions: dict[str, str] = {}


def _version_key(project_id: int) -> str:
    return f"marketplace:project-page:{project_id}"


def page_version(project_id: int) -> str:
    """The project's version and the names version, in one round trip to the shared cache."""
    keys = [_version_key(project_id), NAMES_KEY]
    found = cache.get_many(keys)
    return "-".join(found.get(key) or _first_version(key) for key in keys)


def _first_version(key: str) -> str:
    cache.add(key, uuid.uuid4().hex, timeout=None)
    # Without Redis there is no shared version: each process keeps one of its own.
    return cache.get(key) or _own_versions.setdefault(key, uuid.uuid4().hex)


def _bump(key: str) -> None:
    """A change must succeed without Redis: a failure is logged and the change stands."""
    version = uuid.uuid4().hex
    _own_versions[key] = version
    try:
        cache.set(key, version, timeout=None)
    except Exception:  # any backend error: the change itself must not fail
        logger.warning("Could not store a new project page version", exc_info=True)


def _bump_now_and_on_commit(key: str) -> None:
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def invalidate_project(project_id: int | None) -> None:
    """Something the page of ``project_id`` shows has changed (None: not a project's)."""
    if project_id is not None:
        _bump_now_and_on_commit(_version_key(project_id))


def invalidate_names() -> None:
    """A public name, a department, topic or skill changed: every page may show it."""
    _bump_now_and_on_commit(NAMES_KEY)


def invalidate_all_in(shared) -> None:
    """Drop every kept page of the processes that use ``shared`` (the benchmark's cold probe)."""
    shared.set(NAMES_KEY, uuid.uuid4().hex, timeout=None)


def head_queryset():
    """What every visitor's page needs before it decides what to show: three queries."""
    return Project.objects.select_related("department").prefetch_related("leads", "topics")


def cached_head(slug: str) -> tuple[Project | None, str]:
    """The project of ``slug`` with its department, leads and topics, and its page version.

    ``(None, "")`` when there is no such project. Kept while the version holds. The
    first visit of a slug in this process looks up its id alone first: the version
    must be read before the row, or a change in between would be kept under it.
    """
    project_id = _slugs.get(slug) or _remember_id(slug)
    if project_id is None:
        return None, ""
    version = page_version(project_id)
    key = f"marketplace:project-page:head:{project_id}:{version}"
    local = caches[counts_cache.LOCAL]
    head = local.get(key)
    if head is not None and head.slug == slug:
        return head, version
    head = _load_head(slug)
    if head is None or head.pk != project_id:  # gone, or its slug went to another project
        return head, page_version(head.pk) if head is not None else ""
    local.set(key, head, TIMEOUT)
    return head, version


def _remember_id(slug: str) -> int | None:
    project_id = Project.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if project_id is not None:
        if len(_slugs) >= MAX_SLUGS:
            _slugs.clear()
        _slugs[slug] = project_id
    return project_id


def _load_head(slug: str) -> Project | None:
    head = head_queryset().filter(slug=slug).first()
    if head is None:
        _slugs.pop(slug, None)
    else:
        if len(_slugs) >= MAX_SLUGS:
            _slugs.clear()
        _slugs[slug] = head.pk
    return head


def page_key(project: Project, version: str) -> str:
    """Names what the kept parts depend on besides the visitor: version, day, language.

    The day, because what is shown can change with it alone (a membership that
    ended yesterday is no longer on the team).
    """
    return f"{project.pk}:{version}:{timezone.localdate().isoformat()}:{get_language()}"
