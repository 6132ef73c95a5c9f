from django.urls import URLPattern, URLResolver, path

from kanwu.takedowns import views

app_name = "takedowns"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.takedown, name="takedown"),
    path("received/", views.received, name="received"),
    path("status/", views.status, name="status"),
]
