"""The sitemap's sections: the public pages, so search engines find every project.

``/sitemap.xml`` is an index naming every page of every section
(``/sitemap-projects.xml?p=2``), so all public projects are listed, however many.
"""

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
    "sign-language",
]


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


# URLs per sitemap file (the protocol allows 50,000): small enough to render quickly.
SITEMAP_PAGE_SIZE = 5000


class ProjectSitemap(Sitemap):
    changefreq = "daily"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        # Only what an entry needs: a page renders 5,000 of them.
        return Project.objects.published().only("slug", "is_internal", "updated_at").order_by("id")

    def lastmod(self, project):
        # Internal projects show the public no dates; their entry says nothing about activity.
        return None if project.is_internal else project.updated_at
