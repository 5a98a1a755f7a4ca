from django.contrib.sitemaps import Sitemap

from participation.models import Proposal


class ProposalSitemap(Sitemap):
    changefreq = "weekly"
    limit = 1000

    def items(self):
        return Proposal.objects.order_by("id")

    def lastmod(self, proposal):
        return proposal.decided_at or proposal.review_started_at or proposal.created_at
