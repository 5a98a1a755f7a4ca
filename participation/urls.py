from django.urls import path

from participation.views import applications, comments, pages, proposals, retrospectives

urlpatterns = [
    path("participate/", pages.participate, name="participate"),
    path("me/", applications.dashboard, name="my-dashboard"),
    path("projects/<slug:slug>/applications/", applications.review_queue, name="review-queue"),
    path(
        "projects/<slug:slug>/roles/<int:role_id>/join/", applications.join_role, name="role-join"
    ),
    path("applications/<int:pk>/decide/", applications.decide, name="application-decide"),
    path("applications/<int:pk>/withdraw/", applications.withdraw, name="application-withdraw"),
    path("memberships/<int:pk>/end/", applications.end_membership, name="membership-end"),
    path("proposals/", proposals.proposal_list, name="proposal-list"),
    path("proposals/new/", proposals.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/support/", proposals.proposal_support, name="proposal-support"),
    path("proposals/<int:pk>/follow/", proposals.proposal_follow, name="proposal-follow"),
    path("proposals/<int:pk>/review/", proposals.proposal_review, name="proposal-review"),
    path("projects/<slug:slug>/comments/", comments.project_comment, name="project-comment"),
    path("proposals/<int:pk>/comments/", comments.proposal_comment, name="proposal-comment"),
    path("comments/<int:pk>/report/", comments.comment_report, name="comment-report"),
    path("comments/<int:pk>/moderate/", comments.comment_moderate, name="comment-moderate"),
]

urlpatterns += [
    path(
        "projects/<slug:slug>/retrospectives/",
        retrospectives.retrospective_list,
        name="retrospective-list",
    ),
    path(
        "projects/<slug:slug>/retrospectives/new/",
        retrospectives.retrospective_create,
        name="retrospective-create",
    ),
    path(
        "projects/<slug:slug>/retrospectives/<int:retrospective_id>/",
        retrospectives.retrospective_detail,
        name="retrospective-detail",
    ),
    path(
        "projects/<slug:slug>/retrospectives/<int:retrospective_id>/actions/",
        retrospectives.action_item_create,
        name="action-item-create",
    ),
    path("action-items/<int:pk>/done/", retrospectives.action_item_done, name="action-item-done"),
    path("projects/<slug:slug>/feedback/", retrospectives.team_feedback, name="team-feedback"),
]
