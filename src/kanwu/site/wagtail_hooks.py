"""友情链接 in the Wagtail admin (设置 › 友情链接), ordered by dragging."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kanwu.site.models import FriendLink


class FriendLinkViewSet(SnippetViewSet):
    model = FriendLink
    icon = "site"
    menu_label = "友情链接"
    add_to_settings_menu = True
    list_display = ["name", "url"]
    copy_view_enabled = False


register_snippet(FriendLinkViewSet)
