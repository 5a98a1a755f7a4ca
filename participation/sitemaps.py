from django.contrib.sitemaps import Sitemap

from marketplace.sitemaps import SITEMAP_PAGE_SIZE
from participation.models import Proposal


class ProposalSitemap(Sitemap):
    changefreq = "weekly"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Proposal.objects.only("created_at", "review_started_at", "decided_at").order_by("id")

    def lastmod(self, proposal):
        return proposal.decided_at or proposal.review_started_at or proposal.created_at
