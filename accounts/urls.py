from django.urls import path

from accounts.views import notifications, privacy, profile, verification

urlpatterns = [
    # Beside allauth's pages under /accounts/ (config/urls.py includes this list first).
    path(
        "accounts/confirm-email/resend/",
        verification.resend_verification,
        name="account-resend-verification",
    ),
    path("me/settings/", profile.settings_page, name="account-settings"),
    path("me/data/", privacy.data_page, name="my-data"),
    path("me/data/export.json", privacy.export_data, name="my-data-export"),
    path("me/data/delete/", privacy.delete_account, name="delete-account"),
    path("me/notifications/", notifications.inbox, name="notification-inbox"),
    path("me/notifications/unread/", notifications.unread_badge, name="notification-unread"),
    path("me/notifications/read-all/", notifications.mark_all_read, name="notification-read-all"),
    path("me/notifications/settings/", notifications.preferences, name="notification-preferences"),
    path("me/notifications/<int:pk>/read/", notifications.mark_read, name="notification-read"),
    path(
        "me/notifications/<int:pk>/open/", notifications.open_notification, name="notification-open"
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notifications.unsubscribe,
        name="notification-unsubscribe",
    ),
]
