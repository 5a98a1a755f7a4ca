from django.urls import path

from accounts.views import privacy, profile

urlpatterns = [
    path("me/settings/", profile.settings_page, name="account-settings"),
    path("me/data/", privacy.data_page, name="my-data"),
    path("me/data/export.json", privacy.export_data, name="my-data-export"),
    path("me/data/delete/", privacy.delete_account, name="delete-account"),
]
