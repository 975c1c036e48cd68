from django.urls import include, path

from tabyin.core import views
from tabyin.core.auth import views as views_auth
from tabyin.core.notify import views as views_notify
from tabyin.core.notify import web_public as views_public_notices
from tabyin.core.site import views_pwa
from tabyin.core.staff import views as views_staff

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("offline/", views_pwa.offline, name="offline"),
    path("notices/push/", views_public_notices.push_subscribe, name="public-push"),
    path("staff/login/", views_auth.login, name="login"),
    path("staff/login/code/", views_auth.otp, name="otp"),
    path("staff/logout/", views_auth.logout, name="logout"),
    path("staff/password/forgot/", views_auth.password_forgot, name="password-forgot"),
    path("staff/password/set/<uidb64>/<token>/", views_auth.password_set, name="password-set"),
    path("staff/password/saved/", views_auth.password_set_done, name="password-set-done"),
    path("staff/", views_staff.staff_home, name="staff-home"),
    path("", include("tabyin.core.calendar.urls")),
    path("staff/notifications/", views_notify.notifications, name="notifications"),
    path("staff/notifications/read/", views_notify.inbox_read, name="inbox-read"),
    path("staff/audit/", views_staff.audit_log, name="audit"),
    path("staff/system/", views_staff.system, name="system"),
    path("staff/system/probe/", views_staff.system_probe, name="system-probe"),
]
