"""Run inside a kanwu process (`kanwu shell -c`): what a site shows, as JSON on stdout.

Pages are rendered through the whole Django stack with the page cache off (the test client,
a plain static storage so no collectstatic is needed); each page's status and body are
hashed. Search results for a few words, and the rows the write load made, come with them.
"""

import hashlib
import json
import sys

from django.test import Client
from django.test.utils import override_settings

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import Comment
from kanwu.search.selectors import search_articles
from kanwu.submissions.models import Submission
from kanwu.textanalysis import parse_query

PLAIN = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
QUERIES = ["统战", "历史", "座谈会", "文化", "乡村振兴"]


def probe():
    articles = list(ArticlePage.objects.live().order_by("pk"))
    sample = articles[:: max(1, len(articles) // 6)][:6]
    paths = ["/", "/news/", "/search/?q=%E7%BB%9F%E6%88%98"]
    paths += [a.url_path.removeprefix("/home") for a in sample]
    pages = {}
    with override_settings(STORAGES=PLAIN, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        for path in paths:
            response = client.get(path)
            body = response.content
            pages[path] = [response.status_code, hashlib.sha256(body).hexdigest(), len(body)]
    search = {
        q: [r.article.pk for r in search_articles(query=parse_query(q), per_page=20).results]
        for q in QUERIES
    }
    return {
        "pages": pages,
        "search": search,
        "comments": sorted(Comment.objects.values_list("body", flat=True)),
        "submissions": sorted(Submission.objects.values_list("title", flat=True)),
        "articles": len(articles),
    }


sys.stdout.write("PROBE " + json.dumps(probe(), ensure_ascii=False) + "\n")
