"""Staff pages of the transparency site, mounted at /staff/portal/ in the ``portal`` namespace."""

from django.urls import URLPattern, URLResolver, path

from tabyin.portal.staff import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("releases/", views.releases, name="staff-releases"),
    path("releases/new/", views.release_new, name="staff-release-new"),
    path("releases/<int:pk>/", views.release, name="staff-release"),
    path("releases/<int:pk>/publish/", views.release_publish, name="staff-release-publish"),
    path("releases/<int:pk>/withdraw/", views.release_withdraw, name="staff-release-withdraw"),
    path("releases/template/<slug:slug>.csv", views.release_template, name="staff-release-template"),
    path("explanations/", views.explanation_list, name="staff-explanations"),
    path("explanations/new/", views.explanation_new, name="staff-explanation-new"),
    path("explanations/<int:pk>/", views.explanation, name="staff-explanation"),
    path("explanations/<int:pk>/submit/", views.explanation_submit, name="staff-explanation-submit"),
    path("explanations/<int:pk>/approve/", views.explanation_approve, name="staff-explanation-approve"),
    path("explanations/<int:pk>/return/", views.explanation_return, name="staff-explanation-return"),
]
