"""robots.txt: crawl the public pages, skip the personal and administrative ones."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

PRIVATE_PREFIXES = ["/admin/", "/accounts/", "/me/", "/i18n/"]


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
