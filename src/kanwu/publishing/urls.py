from django.urls import URLPattern, URLResolver, path

from kanwu.publishing.views import view_beacon

urlpatterns: list[URLPattern | URLResolver] = [
    path("views/<int:page_id>/", view_beacon, name="view-beacon"),
]
