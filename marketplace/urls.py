from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from marketplace.feeds import ProjectUpdatesFeed, PublicProjectsFeed
from marketplace.views import (
    browse,
    catalogue,
    discovery,
    follow,
    lifecycle,
    open_data,
    pages,
    projects,
    roles,
    sign_language,
    updates,
)

urlpatterns = [
    path("", pages.home, name="home"),
    path("accessibility/", pages.statement_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", pages.statement_page, {"page": "privacy"}, name="privacy"),
    path("imprint/", pages.statement_page, {"page": "imprint"}, name="imprint"),
    path("easy-language/", pages.statement_page, {"page": "easy_language"}, name="easy-language"),
    path("sign-language/", sign_language.sign_language_page, name="sign-language"),
    # The German word, for those who type it.
    path("gebaerdensprache/", RedirectView.as_view(pattern_name="sign-language", permanent=True)),
    # Uploads (the sign-language videos): whitenoise serves static files only.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:name>", sign_language.media_file, name="media-file"
    ),
    path("projects/", browse.project_list, name="project-list"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<slug:slug>/", projects.project_detail, name="project-detail"),
    path("projects/<slug:slug>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<slug:slug>/publish/", projects.project_publish, name="project-publish"),
    path("projects/<slug:slug>/status/", projects.project_status, name="project-status"),
    path(
        "projects/<slug:slug>/status/confirm/",
        lifecycle.project_status_confirm,
        name="project-status-confirm",
    ),
    path("projects/<slug:slug>/delete/", lifecycle.project_delete, name="project-delete"),
    path("projects/<slug:slug>/phase/", projects.project_phase, name="project-phase"),
    path("projects/<slug:slug>/updates/new/", updates.update_create, name="update-create"),
    path("projects/<slug:slug>/feed/", ProjectUpdatesFeed(), name="project-feed"),
    path("feeds/projects/", PublicProjectsFeed(), name="projects-feed"),
    path("open-data/", open_data.open_data_page, name="open-data"),
    # Before the datasets' patterns, which would take "datapackage.json" for a dataset.
    path("open-data/catalog.ttl", catalogue.catalogue_turtle, name="open-data-catalog-ttl"),
    path("open-data/catalog.jsonld", catalogue.catalogue_json_ld, name="open-data-catalog-jsonld"),
    path("open-data/datapackage.json", catalogue.data_package, name="open-data-datapackage"),
    path("open-data/<slug:dataset>.json", open_data.dataset_json, name="open-data-json"),
    path("open-data/<slug:dataset>.csv", open_data.dataset_csv, name="open-data-csv"),
    path(
        "open-data/<slug:dataset>.all.json",
        open_data.dataset_json_download,
        name="open-data-json-download",
    ),
    path("robots.txt", discovery.robots_txt, name="robots-txt"),
    path("projects/<slug:slug>/follow/", follow.project_follow, name="project-follow"),
    path("projects/<slug:slug>/roles/new/", roles.role_create, name="role-create"),
    path("projects/<slug:slug>/roles/<int:role_id>/edit/", roles.role_edit, name="role-edit"),
    path("projects/<slug:slug>/roles/<int:role_id>/delete/", roles.role_delete, name="role-delete"),
]
