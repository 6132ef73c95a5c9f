"""Run inside a kanwu process (`kanwu shell -c`): writes readers make, acknowledged on stdout.

KANWU_LOAD=setup approves a thread of comments and stores a contribution with an attachment.
KANWU_LOAD=run keeps posting comments (through `comment_create`) and, every fourth time, a
contribution (through `submission_create`), printing `ACK <kind> <text>` once each is
committed, until the file named by KANWU_LOAD_STOP exists (or 2,000 writes, or 3 minutes).
"""

import io
import os
import sys
import time
from pathlib import Path

from PIL import Image

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import Comment
from kanwu.comments.services import comment_create
from kanwu.submissions.services import submission_create
from kanwu.uploads import check_upload


def attachment():
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), "#884422").save(buffer, "PNG")
    buffer.name = "配图.png"
    return check_upload(buffer, allowed={"png"}, max_bytes=1024 * 1024)


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


articles = list(ArticlePage.objects.live().order_by("pk")[:5])
if os.environ["KANWU_LOAD"] == "setup":
    first = comment_create(
        article=articles[0],
        parent=None,
        author_name="读者甲",
        author_email="a@example.cn",
        body="写得很好，受益匪浅。",
        status=Comment.Status.APPROVED,
    )
    comment_create(
        article=articles[0],
        parent=first,
        author_name="读者乙",
        author_email="b@example.cn",
        body="同意楼上的看法。",
        status=Comment.Status.APPROVED,
    )
    submission_create(
        site=None,
        name="张三",
        email="zs@example.cn",
        phone="",
        title="家乡的变化",
        body="第一段。",
        files=[attachment()],
    )
    say("SETUP done")
else:
    stop = Path(os.environ["KANWU_LOAD_STOP"])
    deadline = time.monotonic() + 180
    for number in range(2000):
        if stop.exists() or time.monotonic() > deadline:
            break
        body = f"负载评论 {number}"
        comment_create(
            article=articles[number % len(articles)],
            parent=None,
            author_name=f"读者{number}",
            author_email=f"load{number}@example.cn",
            body=body,
        )
        say(f"ACK comment {body}")
        if number % 4 == 0:
            title = f"负载投稿 {number}"
            submission_create(
                site=None,
                name="李四",
                email="ls@example.cn",
                phone="",
                title=title,
                body="正文。",
                files=[attachment()],
            )
            say(f"ACK submission {title}")
