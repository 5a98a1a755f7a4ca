"""``sitemap.xml``: the public pages, so search engines find every project."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from marketplace.models import Project

# Public pages without an object; URL names of other apps are only strings here.
STATIC_PAGES = [
    "home",
    "project-list",
    "proposal-list",
    "participate",
    "open-data",
    "accessibility",
    "privacy",
    "imprint",
    "easy-language",
]


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


class ProjectSitemap(Sitemap):
    changefreq = "daily"
    limit = 1000

    def items(self):
        return Project.objects.published().order_by("id")

    def lastmod(self, project):
        # Internal projects show the public no dates; their entry says nothing about activity.
        return None if project.is_internal else project.updated_at
