"""``/healthz``: is the database reachable, is the broker reachable, is email stuck?

Load balancers and compose poll this, so it touches nothing but a ``SELECT 1``,
a broker ping with a short timeout and two indexed counts of notification
emails (given up, and overdue), and it never raises: a failing dependency is
reported. Failed emails do not make the portal unhealthy; operators watch the
counts and retry them in the admin.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import delivery_retries


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"
        return "down"
    return "up"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "eager"  # embedded mode: tasks run in-process, no broker needed
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        client.ping()
    except (redis.RedisError, OSError):
        return "down"
    return "up"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_status(), "broker": _broker_status()}
    # The broker may be briefly away: requests still succeed and outgoing work
    # is swept up later, so only a missing database makes the portal unhealthy.
    healthy = checks["database"] == "up"
    body: dict = {"status": "ok" if healthy else "error", "checks": checks}
    if healthy:
        body["email"] = delivery_retries.backlog()
    return JsonResponse(body, status=200 if healthy else 503)
