"""The audit trail: every state change writes one event."""

from django.contrib.contenttypes.models import ContentType

from accounts.models import AuditEvent


def record(actor, verb: str, target=None, **data) -> AuditEvent:
    """Write who (``actor``) did what (``verb``) to which object (``target``).

    ``data`` holds the details a reader needs later (a reason, old and new
    status). It must not hold personal data beyond ids: the trail outlives
    deleted accounts.
    """
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target_type,
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )
