from django.apps import apps
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse

from config.health import healthz
from marketplace.sitemaps import ProjectSitemap, StaticPagesSitemap
from participation.sitemaps import ProposalSitemap

SITEMAPS = {"pages": StaticPagesSitemap, "projects": ProjectSitemap, "proposals": ProposalSitemap}


def admin_login(request):
    """Admin sign-in goes through allauth, so the second factor is always asked for."""
    if request.user.is_authenticated:
        # Signed in but not an administrator: another sign-in would loop back here.
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"), reverse("account_login"))


urlpatterns = [
    path("", include("marketplace.urls")),
    path("", include("accounts.urls")),
    path("", include("participation.urls")),
    path("", include("workload.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

if apps.is_installed("bench"):  # developers' benchmark runs only (settings.BENCHMARK)
    urlpatterns.append(path("bench/", include("bench.urls")))
