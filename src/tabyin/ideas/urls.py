from django.urls import path

from tabyin.ideas.challenges import views as challenges
from tabyin.ideas.entries import views as entries
from tabyin.ideas.identity import views as identity
from tabyin.ideas.judging import views as judging
from tabyin.ideas.moderation import views as moderation
from tabyin.ideas.results import views as results
from tabyin.ideas.support import views as support

app_name = "ideas"

urlpatterns = [
    path("ideas/", challenges.challenge_list, name="home"),
    path("ideas/method/", challenges.method, name="method"),
    path("ideas/implemented/", results.implemented, name="implemented"),
    path("ideas/implemented/<int:entry_id>/", results.tracker, name="tracker"),
    path("ideas/implemented/<int:entry_id>/evidence/<int:milestone_id>/", results.evidence, name="evidence"),
    path("ideas/verify/<slug:purpose>/", identity.verify, name="verify"),
    path("ideas/c/<slug:slug>/", entries.challenge_page, name="challenge"),
    path("ideas/c/<slug:slug>/send/", entries.submit, name="submit"),
    path("ideas/c/<slug:slug>/sent/", entries.sent, name="sent"),
    path("ideas/c/<slug:slug>/send/similar/", entries.similar_live, name="similar"),
    path("ideas/c/<slug:slug>/entries/<int:entry_id>/", entries.entry_page, name="entry"),
    path("ideas/c/<slug:slug>/entries/<int:entry_id>/support/", support.support, name="support"),
    path("ideas/c/<slug:slug>/results/", results.results_page, name="results"),
    path("ideas/c/<slug:slug>/results.json", results.results_json, name="results-json"),
    path("ideas/follow/<str:token>/", entries.follow, name="follow"),
    path("ideas/follow/<str:token>/files/<str:file_token>/", entries.follow_file, name="follow-file"),
    path("staff/ideas/", moderation.challenges, name="staff"),
    path("staff/ideas/new/", challenges.staff_new, name="staff-new"),
    path("staff/ideas/c/<slug:slug>/", moderation.queue, name="staff-queue"),
    path("staff/ideas/c/<slug:slug>/edit/", challenges.staff_edit, name="staff-edit"),
    path("staff/ideas/c/<slug:slug>/publish/", challenges.staff_publish, name="staff-publish"),
    path("staff/ideas/c/<slug:slug>/jury/", judging.organize, name="staff-jury"),
    path("staff/ideas/c/<slug:slug>/jury/seat/", judging.seat_add, name="staff-jury-seat"),
    path(
        "staff/ideas/c/<slug:slug>/jury/seat/<int:seat_id>/remove/",
        judging.seat_remove,
        name="staff-jury-unseat",
    ),
    path("staff/ideas/c/<slug:slug>/jury/conflict/", judging.conflict_name, name="staff-jury-conflict"),
    path("staff/ideas/c/<slug:slug>/jury/reassign/", judging.reassign, name="staff-jury-reassign"),
    path(
        "staff/ideas/c/<slug:slug>/jury/feedback/<int:entry_id>/release/",
        judging.feedback_release,
        name="staff-jury-feedback-release",
    ),
    path("staff/ideas/c/<slug:slug>/winners/", results.winners, name="staff-winners"),
    path("staff/ideas/entries/<int:entry_id>/", moderation.entry, name="staff-entry"),
    path("staff/ideas/entries/<int:entry_id>/tracker/", results.track_edit, name="staff-track"),
    path(
        "staff/ideas/entries/<int:entry_id>/tracker/milestones/",
        results.milestone_add,
        name="staff-milestone",
    ),
    path(
        "staff/ideas/entries/<int:entry_id>/tracker/milestones/<int:milestone_id>/done/",
        results.milestone_done,
        name="staff-milestone-done",
    ),
    path(
        "staff/ideas/entries/<int:entry_id>/tracker/milestones/<int:milestone_id>/reopen/",
        results.milestone_reopen,
        name="staff-milestone-reopen",
    ),
    path("staff/ideas/entries/<int:entry_id>/clear-flags/", moderation.clear_flags, name="staff-clear-flags"),
    path("staff/ideas/files/<str:file_token>/", moderation.entry_file, name="staff-file"),
    path("staff/ideas/jury/", judging.my_assignments, name="jury"),
    path("staff/ideas/jury/c/<slug:slug>/compare/", judging.compare, name="jury-compare"),
    path("staff/ideas/jury/<int:assignment_id>/", judging.score, name="jury-score"),
    path("staff/ideas/jury/<int:assignment_id>/others/", judging.others, name="jury-others"),
    path("staff/ideas/jury/<int:assignment_id>/feedback/", judging.feedback_write, name="jury-feedback"),
    path("staff/ideas/jury/<int:assignment_id>/conflict/", judging.conflict, name="jury-conflict"),
    path(
        "staff/ideas/jury/<int:assignment_id>/files/<str:file_token>/", judging.entry_file, name="jury-file"
    ),
]
