"""Atom feeds: the updates of one project, and the public projects.

Both show exactly what the public project page shows: drafts have no feed,
internal projects no updates feed, and in the list of projects an internal
project shows only its title, department and status.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.content_language import page_language
from marketplace.models import Project
from marketplace.text import plain_text

FEED_LENGTH = 50


class LanguageAtomFeed(Atom1Feed):
    """Atom whose entries say in ``xml:lang`` which language they are written in."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class ProjectUpdatesFeed(Feed):
    feed_type = LanguageAtomFeed

    def get_object(self, request, slug):
        project = Project.objects.filter(slug=slug).first()
        if project is None or not project.has_public_feed:
            raise Http404
        return project

    def title(self, project):
        return _("Updates of “%(title)s”") % {"title": project.title_for(page_language()).text}

    def subtitle(self, project):
        return project.summary_for(page_language()).text

    def link(self, project):
        return project.get_absolute_url()

    def feed_url(self, project):
        return reverse("project-feed", args=[project.slug])

    def items(self, project):
        return project.updates.order_by("-created_at", "-id")[:FEED_LENGTH]

    def item_title(self, update):
        return update.title

    def item_extra_kwargs(self, item):
        return {"language": item.language}

    def item_description(self, update):
        # Feed readers get the words, not the Markdown: escaped, in paragraphs.
        return linebreaks(plain_text(update.text), autoescape=True)

    def item_link(self, update):
        return reverse("project-detail", args=[update.project.slug]) + f"#update-{update.pk}"

    def item_pubdate(self, update):
        return update.created_at

    def item_updateddate(self, update):
        return update.created_at


class PublicProjectsFeed(Feed):
    feed_type = LanguageAtomFeed
    title = gettext_lazy("Projects of the Projektmarktplatz Berlin")
    subtitle = gettext_lazy("Every published project of the marketplace, newest first.")

    def link(self):
        return reverse("project-list")

    def feed_url(self):
        return reverse("projects-feed")

    def items(self):
        return (
            Project.objects.published()
            .select_related("department")
            # A draft cancelled before publication has no date: last, not first.
            .order_by(F("published_at").desc(nulls_last=True), "-id")[:FEED_LENGTH]
        )

    def item_title(self, project):
        return project.title_for(page_language()).text

    def item_extra_kwargs(self, item):
        # The entry is in the language of its title; a summary in another one says so itself.
        return {"language": item.title_for(page_language()).lang}

    def item_description(self, project):
        facts = format_html(
            "<p>{}: {}. {}: {}.</p>",
            _("Status"),
            project.get_status_display(),
            _("Department"),
            project.department or _("not yet assigned"),
        )
        if project.is_internal:
            return facts + format_html(
                "<p>{}</p>", _("This is an internal project of the administration.")
            )
        summary = project.summary_for(page_language())
        return format_html('<p lang="{}">{}</p>', summary.lang, summary.text) + facts

    def item_link(self, project):
        return project.get_absolute_url()

    def item_pubdate(self, project):
        return project.published_at or project.created_at

    def item_updateddate(self, project):
        # When an internal project last changed is not shown to the public either.
        return self.item_pubdate(project) if project.is_internal else project.updated_at
