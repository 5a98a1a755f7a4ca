from django.urls import path

from api.documentation import documentation
from api.views import api

urlpatterns = [
    path("api/v1/docs/", documentation, name="api-documentation"),
    path("api/v1/", api.urls),
]
