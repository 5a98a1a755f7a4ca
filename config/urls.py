from django.apps import apps
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.query_numbers import is_whole_number
from config.health import healthz
from marketplace.sitemaps import ProjectSitemap, StaticPagesSitemap
from participation.sitemaps import ProposalSitemap

# The admin carries the portal's name, not "Django administration".
admin.site.site_header = gettext_lazy("Projektmarktplatz Berlin: administration")
admin.site.site_title = gettext_lazy("Projektmarktplatz Berlin: administration")
admin.site.index_title = gettext_lazy("What to manage")

SITEMAPS = {"pages": StaticPagesSitemap, "projects": ProjectSitemap, "proposals": ProposalSitemap}


def admin_login(request):
    """Admin sign-in goes through allauth, so the second factor is always asked for."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    if admin.site.has_permission(request):
        return redirect(target)  # already signed in as an administrator
    if request.user.is_authenticated:
        # Signed in without access to admin: another sign-in would loop back here.
        reason = _(
            "You are signed in as %(name)s. This account has no access to the administration."
            " Sign out and sign in with an administrator account."
        ) % {"name": request.user.display_name or request.user.email}
        return render(request, "403.html", {"reason": reason}, status=403)
    return redirect_to_login(target, reverse("account_login"))


def favicon(request):
    """Browsers ask for /favicon.ico whatever the pages name; the icon is a static file."""
    return redirect(static("favicon.svg"))


def sitemap_page(request, **kwargs):
    """One section of the sitemap, whose ``?p=`` takes plain digits only, as every
    numeric parameter. ``/sitemap.xml`` is the index that names every section's pages."""
    if "p" in request.GET and not is_whole_number(request.GET["p"]):
        raise Http404
    return sitemap(request, **kwargs)


urlpatterns = [
    path("", include("marketplace.urls")),
    path("", include("accounts.urls")),
    path("", include("participation.urls")),
    path("", include("workload.urls")),
    path("", include("api.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_page, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]

if apps.is_installed("bench"):  # developers' benchmark runs only (settings.BENCHMARK)
    urlpatterns.append(path("bench/", include("bench.urls")))
