from django.urls import path

from marketplace import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.statement_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.statement_page, {"page": "privacy"}, name="privacy"),
    path("imprint/", views.statement_page, {"page": "imprint"}, name="imprint"),
    path("easy-language/", views.statement_page, {"page": "easy_language"}, name="easy-language"),
]
