"""Everything that changes projects and roles. Views call these; each writes an audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

import accounts
from accounts import audit, double_submit
from accounts.content_language import DEFAULT_CONTENT_LANGUAGE
from accounts.models import User
from marketplace import counts_cache, notifications
from marketplace.models import (
    STATUS_TIMESTAMPS,
    STATUS_TRANSITIONS,
    Phase,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Role,
    next_phase_after,
)
from marketplace.permissions import can_create_project, can_edit_project

SLUG_ATTEMPTS = 50


class TransitionNotAllowed(ValidationError):
    """A status or phase change that the transition table does not allow."""


def _base_slug(title: str) -> str:
    return slugify(title)[:200].strip("-") or "projekt"


def _save_with_unique_slug(project: Project) -> None:
    """Give the project a free slug, also when two with the same title arrive at once.

    The unique constraint decides: a clash rolls back to the savepoint and the
    next suffix is tried.
    """
    base = _base_slug(project.title)
    for attempt in range(SLUG_ATTEMPTS):
        project.slug = base if attempt == 0 else f"{base}-{attempt + 1}"
        if attempt == 0 and Project.objects.filter(slug=project.slug).exists():
            continue
        try:
            with transaction.atomic():
                project.save()
            return
        except IntegrityError:
            if not Project.objects.filter(slug=project.slug).exists():
                raise  # another constraint failed: not ours to hide
    raise ValidationError(_("No free address could be found for this title; please change it."))


@transaction.atomic
def create_project(user, project: Project, topics=()) -> Project:
    """Create a draft from a validated, unsaved ``project``; its creator leads it.

    The same draft sent again (a double submit) returns the first one.
    """
    if not can_create_project(user):
        raise PermissionDenied
    double_submit.lock_person(user)
    repeat = double_submit.find_repeat(
        Project.objects.filter(status=ProjectStatus.DRAFT),
        created_by=user,
        title=project.title,
        summary=project.summary,
        description=project.description,
    )
    if repeat is not None:
        return repeat
    project.status = ProjectStatus.DRAFT
    project.created_by = user
    _save_with_unique_slug(project)
    project.leads.add(user)
    project.topics.set(topics)
    refresh_search_document(project)
    audit.record(user, "project.created", project, title=project.title)
    return project


@transaction.atomic
def update_project(user, project: Project, changed_fields: list[str]) -> Project:
    if not can_edit_project(user, project):
        raise PermissionDenied
    project.save()
    refresh_search_document(project)
    audit.record(user, "project.updated", project, fields=sorted(changed_fields))
    return project


def _check_publishable(project: Project) -> None:
    missing = missing_for_publication(project)
    if missing:
        raise ValidationError(
            _("The project cannot be published yet. It still needs: %(missing)s.")
            % {"missing": ", ".join(str(item) for item in missing)}
        )


def missing_for_publication(project: Project) -> list[str]:
    """What a draft still lacks before it may be published, in words for the lead."""
    missing = []
    if not project.summary.strip():
        missing.append(_("a summary"))
    if project.department_id is None:
        missing.append(_("a department"))
    if not project.roles.filter(is_open=True).exists():
        missing.append(_("at least one open role"))
    return missing


@transaction.atomic
def delete_draft(user, project: Project) -> None:
    """Delete a draft for good; published projects stay, for their public record."""
    if not can_edit_project(user, project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_draft:
        raise TransitionNotAllowed(
            _("Only a draft can be deleted; a published project can be cancelled instead.")
        )
    audit.record(user, "project.deleted", project, title=project.title)
    # Memberships protect their role for the workload history; a draft has none worth
    # keeping (at most the idea giver of the proposal it grew from), so they go first.
    project.memberships.all().delete()
    project.delete()
    counts_cache.invalidate()


def publish_project(user, project: Project) -> Project:
    """Draft -> open, once ``missing_for_publication`` finds nothing."""
    return change_status(user, project, ProjectStatus.OPEN)


@transaction.atomic
def change_status(user, project: Project, target: str) -> Project:
    if not can_edit_project(user, project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if target not in STATUS_TRANSITIONS.get(project.status, set()):
        raise TransitionNotAllowed(
            _("A project cannot go from “%(current)s” to “%(target)s”.")
            % {"current": project.get_status_display(), "target": _label(ProjectStatus, target)}
        )
    if project.status == ProjectStatus.DRAFT and target == ProjectStatus.OPEN:
        _check_publishable(project)
    previous = project.status
    project.status = target
    stamp = STATUS_TIMESTAMPS.get(target)
    if stamp and getattr(project, stamp) is None:
        setattr(project, stamp, timezone.now())
    project.save()
    audit.record(user, "project.status_changed", project, previous=previous, status=target)
    if previous == ProjectStatus.DRAFT:
        notifications.announce_roles(project)
    return project


@transaction.atomic
def change_phase(user, project: Project, target: str) -> Project:
    if not can_edit_project(user, project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.is_closed:
        raise TransitionNotAllowed(_("The project is closed: its phase cannot change any more."))
    if target not in project.allowed_phases():
        raise TransitionNotAllowed(
            _("A project cannot move from the phase “%(current)s” to “%(target)s”.")
            % {"current": project.get_phase_display(), "target": _label(Phase, target)}
        )
    previous = project.phase
    project.phase = target
    project.phase_changed_at = timezone.now()
    project.save()
    audit.record(user, "project.phase_changed", project, previous=previous, phase=target)
    return project


@transaction.atomic
def post_update(
    user,
    project: Project,
    *,
    title: str,
    text: str,
    move_to_next_phase: bool = False,
    language: str = DEFAULT_CONTENT_LANGUAGE,
) -> ProjectUpdate:
    """Publish an update on the project's timeline and tell its followers.

    With ``move_to_next_phase`` the project also moves one phase forward. A
    repeat of the latest update (a double submit) returns that update and
    changes nothing.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied
    # The row lock makes two submits at once wait for each other, so the repeat check holds.
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.is_draft:
        raise ValidationError(_("Publish the project before you post updates."))
    if project.is_closed:
        raise ValidationError(_("The project is closed: no more updates can be posted."))
    repeat = double_submit.find_repeat(project.updates.all(), title=title, text=text)
    if repeat is not None:
        return repeat
    update = ProjectUpdate(project=project, title=title, text=text, author=user, language=language)
    if move_to_next_phase:
        target = next_phase_after(project.phase)
        if not target:
            raise TransitionNotAllowed(_("The project is already in its last phase."))
        project = change_phase(user, project, target)
        update.phase = target
    update.save()
    audit.record(user, "project.update_posted", project, update=update.pk, phase=update.phase)
    _notify_followers(user, project, update)
    return update


def _notify_followers(author, project: Project, update: ProjectUpdate) -> None:
    followers = User.objects.filter(project_follows__project=project, is_active=True).exclude(
        pk=author.pk
    )
    if project.is_internal:
        # Only those who may read an internal project's details hear about its updates.
        followers = followers.filter(Q(kind=User.Kind.EMPLOYEE) | Q(is_superuser=True))
    accounts.notify(
        followers,
        "project_update",
        f"project-update:{update.pk}",
        url=update.get_absolute_url(),
        project=project.title,
        title=update.title,
    )


@transaction.atomic
def save_role(user, role: Role, skills=None) -> Role:
    """Create or update a validated role of a project the user may edit.

    A new role just like one added moments ago (a double submit) returns that one.
    """
    if not can_edit_project(user, role.project):
        raise PermissionDenied
    created = role.pk is None
    if created:
        repeat = _repeated_role(role)
        if repeat is not None:
            return repeat
    role.save()
    if skills is not None:
        role.skills.set(skills)
    refresh_search_document(role.project)
    audit.record(user, "role.created" if created else "role.updated", role, project=role.project_id)
    notifications.announce_role(role)  # once per role: later edits repeat nothing
    return role


def _repeated_role(role: Role) -> Role | None:
    # The project's row lock makes two submits at once wait for each other.
    Project.objects.select_for_update().filter(pk=role.project_id).first()
    return double_submit.find_repeat(
        Role.objects.filter(project=role.project_id),
        title=role.title,
        description=role.description,
        audience=role.audience,
        seats=role.seats,
        hours_per_week=role.hours_per_week,
        public_kind=role.public_kind,
    )


@transaction.atomic
def delete_role(user, role: Role) -> None:
    project = role.project
    if not can_edit_project(user, project):
        raise PermissionDenied
    role_id = role.pk
    role.delete()
    refresh_search_document(project)
    audit.record(user, "role.deleted", project, role=role_id)


def refresh_search_document(project: Project) -> None:
    """Copy role titles and skills beside the project and, on PostgreSQL, rebuild its tsvector."""
    words = []
    for role in project.roles.prefetch_related("skills"):
        words.append(role.title)
        words.extend(f"{skill.name_de} {skill.name_en}" for skill in role.skills.all())
    Project.objects.filter(pk=project.pk).update(search_extra=" ".join(words))
    refresh_search_vectors(Project.objects.filter(pk=project.pk))


def refresh_search_vectors(queryset) -> int:
    """Rebuild the weighted German tsvector of ``queryset`` in one UPDATE (PostgreSQL only).

    Search results change with it, so cached counts are dropped (also after bulk loads).
    """
    counts_cache.invalidate()
    if connection.vendor != "postgresql":
        return 0
    from django.contrib.postgres.search import SearchVector

    vector = (
        # The English title and summary beside the German ones, with the same weights; the
        # German configuration on both sides keeps an English word's stem the same in both.
        SearchVector("title", "title_en", weight="A", config="german")
        + SearchVector("summary", "summary_en", weight="B", config="german")
        + SearchVector("description", "search_extra", Value(""), weight="C", config="german")
    )
    return queryset.update(search_vector=vector)


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))
