from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def baseline(request):
    """A fixed answer through the whole middleware stack: the benchmark's yardstick.

    It reads nothing and reveals nothing, so it is harmless to leave on in production.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
