"""What each role may do, as data: the page permissions a role's group holds on its pages (the
root page for the site-wide group, the column for a column's group) and its rights on images
and documents. The migration that made the groups keeps its own copy, as migrations do."""

from __future__ import annotations

from kanwu.roles.models import ColumnRole

Role = ColumnRole.Role

# Wagtail's page permissions: add = write drafts and submit them, edit your own; change = edit
# anyone's; publish; lock/unlock; bulk_delete = delete a page with children.
PAGES: dict[str, tuple[str, ...]] = {
    Role.WRITER: ("add_page",),
    Role.EDITOR: ("add_page", "change_page", "lock_page"),
    Role.REVIEWER: ("add_page", "change_page", "lock_page", "publish_page", "unlock_page"),
    Role.COLUMN_ADMIN: (
        "add_page", "bulk_delete_page", "change_page", "lock_page", "publish_page", "unlock_page",
    ),
}  # fmt: skip

# On the root collection, for images and documents alike (add_image, choose_document, …).
MEDIA: dict[str, tuple[str, ...]] = {
    Role.WRITER: ("add", "choose"),
    Role.EDITOR: ("add", "change", "choose"),
    Role.REVIEWER: ("add", "change", "choose"),
    Role.COLUMN_ADMIN: ("add", "change", "choose", "delete"),
}

SITE_ADMIN = "站点管理员"  # the site-wide group with every right short of a superuser's
