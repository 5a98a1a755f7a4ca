from django.urls import path

from participation.views import (
    applications,
    comments,
    ideas,
    pages,
    proposals,
    retrospectives,
    round_answers,
    rounds,
)

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

ROUND = "projects/<slug:slug>/rounds/<int:round_id>/"
urlpatterns += [
    path("projects/<slug:slug>/rounds/", rounds.round_list, name="round-list"),
    path("projects/<slug:slug>/rounds/new/", rounds.round_create, name="round-create"),
    path(ROUND, rounds.round_detail, name="round-detail"),
    path(f"{ROUND}tasks/", rounds.task_add, name="round-task-add"),
    path(f"{ROUND}questions/", rounds.question_add, name="round-question-add"),
    path(f"{ROUND}open/", rounds.round_open, name="round-open"),
    path(f"{ROUND}close/", rounds.round_close, name="round-close"),
    path(f"{ROUND}answer/", round_answers.round_answer, name="round-answer"),
    path(f"{ROUND}results/", round_answers.round_results, name="round-results"),
    path(f"{ROUND}results.csv", round_answers.round_results_csv, name="round-results-csv"),
]

IDEAS = "projects/<slug:slug>/ideas/"
urlpatterns += [
    path(IDEAS, ideas.idea_list, name="idea-list"),
    path(f"{IDEAS}questions/", ideas.question_create, name="idea-question-create"),
    path(f"{IDEAS}questions/<int:question_id>/ideas/", ideas.idea_post, name="idea-post"),
    path(
        f"{IDEAS}questions/<int:question_id>/close/",
        ideas.question_close,
        name="idea-question-close",
    ),
    path(f"{IDEAS}<int:idea_id>/support/", ideas.idea_support, name="idea-support"),
    path(f"{IDEAS}<int:idea_id>/answer/", ideas.idea_answer, name="idea-answer"),
]
