from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "kanwu.comments"
    label = "comments"
    verbose_name = "评论"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kanwu.comments.models import CommentSettings
        from kanwu.publishing.invalidation import site_changed

        # The policy and the closing age change the comment form on every cached article page.
        def settings_saved(**kwargs: object) -> None:
            site_changed()

        post_save.connect(
            settings_saved,
            sender=CommentSettings,
            weak=False,
            dispatch_uid="kanwu-comment-settings",
        )
