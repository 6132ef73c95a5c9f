"""What other apps tell the publishing layer when public output changes.

Page publishing, unpublishing, moves and deletions are picked up from Wagtail's signals by
this app itself; apps whose own data appears on pages (approved comments, site settings) call
these functions after their transaction commits.
"""

from __future__ import annotations


def article_changed(article_id: int) -> None:
    """Something shown on the article's page changed (e.g. a comment was approved)."""


def site_changed() -> None:
    """Something shown on every page changed (e.g. site settings)."""
