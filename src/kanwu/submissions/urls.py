from django.urls import URLPattern, URLResolver, path

from kanwu.submissions import views

app_name = "submissions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.submit, name="submit"),
    path("received/", views.received, name="received"),
    path("status/", views.status, name="status"),
]
