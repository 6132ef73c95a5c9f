from django.urls import URLPattern, URLResolver, path

from kanwu.comments import views

app_name = "comments"

urlpatterns: list[URLPattern | URLResolver] = [
    path("post/", views.comment_post, name="post"),
    path("state/", views.comment_state, name="state"),
]
