"""`make audit`'s page checks: the Nu HTML checker (vnu.jar) and Lighthouse on the reader pages
of a demo site served by `kanwu serve`.

A demo site is built in a temporary data dir (`kanwu migrate`, `kanwu demo`, one article
taken down for the 410 page), served on a free port, and each page in `PAGES` is fetched and
saved. vnu checks the saved HTML (errors only; warnings are advice); Lighthouse, with Debian's
Chromium, scores the pages marked for it on its default phone profile. Reports go to
test-artifacts/pages/ (html/, vnu.json, lighthouse/NAME.report.html and .json) and a table of
scores is printed.

Exit status 0: every page valid and every Lighthouse score at least `MIN_SCORE`; 1: an error
or a low score; 2 (NOT CHECKED): a tool is missing (run `make audit-deps`: npm ci in
tools/audit; java and /usr/bin/chromium from Debian) or the demo site would not start.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("KANWU_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "pages"
TOOLS = ROOT / "tools" / "audit" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = TOOLS / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
KANWU = Path(sys.executable).with_name("kanwu")
NOT_CHECKED = 2
MIN_SCORE = 95
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-background-networking --disable-component-update "
    "--no-first-run --disable-sync"
)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # formatted with the demo site's paths (see DEMO_PATHS)
    status: int = 200
    lighthouse: bool = True
    # Categories Lighthouse may score lower on purpose: search results are noindex, which
    # caps SEO.
    exempt: tuple[str, ...] = ()


# The reader pages checked; add a page here (a path, or a placeholder DEMO_PATHS fills in).
PAGES = [
    Page("home", "/"),
    Page("column", "{column}"),
    Page("article", "{article}"),
    Page("search", "/search/?q={word}", exempt=("seo",)),
    Page("submit", "/submit/"),
    Page("topic", "{topic}"),  # 专题
    Page("404", "/no-such-page/", status=404, lighthouse=False),
    Page("410", "{gone}", status=410, lighthouse=False),
]

# Run inside the demo site (`kanwu shell`): take one article down (410) and print the paths the
# placeholders in PAGES stand for.
DEMO_PATHS = """
import json
from urllib.parse import quote
from django.contrib.auth.models import User
from wagtail.models import Site
from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.takedowns.services import takedown_create, takedown_execute
from kanwu.topics.models import TopicPage
articles = ArticlePage.objects.live().order_by("-published_at", "-pk")
article, gone = articles[0], articles[1]
column = ColumnPage.objects.live().filter(depth=3).order_by("path").first()
topic = TopicPage.objects.live().order_by("path").first()
user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
    "audit", "audit@example.cn", None)
takedown = takedown_create(
    site=Site.objects.get(is_default_site=True), name="审查", organisation="", email="a@example.cn",
    phone="", right="著作权", reason="页面检查用的下架文章。", articles=[(gone.full_url, gone)],
    files=[])
takedown_execute(takedown=takedown, user=user)
print(json.dumps({"article": article.url, "gone": gone.url, "column": column.url,
                  "topic": topic.url,
                  "word": quote(article.title[:2])}))
"""


def tools_missing() -> list[str]:
    missing = []
    if not VNU.exists() or not LIGHTHOUSE.exists():
        missing.append("tools/audit 的 npm 依赖（运行 make audit-deps，即 npm ci）")
    if not shutil.which("java"):
        missing.append("java（apt-get install default-jre-headless）")
    if not Path(CHROMIUM).exists():
        missing.append("Chromium（apt-get install chromium）")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def kanwu(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own command)
        [str(KANWU), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(f"kanwu {args[0]} 失败：{result.stderr.strip()[-800:]}")
    return result.stdout


def wait_until_up(base: str, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("kanwu serve 已退出。")
        try:
            with urllib.request.urlopen(base + "/", timeout=5):  # noqa: S310 (our server)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError("kanwu serve 没有按时启动。")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our server)
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def vnu(files: dict[str, Path]) -> dict[str, list[str]]:
    """Each page's errors, as "line: message"."""
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        ["java", "-jar", str(VNU), "--errors-only", "--exit-zero-always", "--format", "json",  # noqa: S607
         *map(str, files.values())],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    (OUT / "vnu.json").write_text(result.stderr, encoding="utf-8")
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"vnu.jar 未能运行：{result.stderr.strip()[-400:]}") from error
    by_file = {path.name: name for name, path in files.items()}  # vnu writes file:/tmp/...
    errors: dict[str, list[str]] = {name: [] for name in files}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = by_file.get(message.get("url", "").rsplit("/", 1)[-1], "?")
        errors.setdefault(name, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    return errors


def lighthouse(name: str, url: str, tries: int = 3) -> dict[str, int | None]:
    """Lighthouse's phone-profile scores (0-100) for `url`; None for a category it could not
    score. RuntimeError when it wrote no report.

    A run whose trace Chromium did not record (Lighthouse's runtimeError, e.g. NO_NAVSTART:
    "Please run Lighthouse again") scores nothing about the page: it is run again, up to
    `tries` times in all."""
    for _ in range(tries):
        scores, trace_failed = _lighthouse_once(name, url)
        if not trace_failed:
            break
        print(f"  （{name}：Lighthouse 未能记录页面加载（{trace_failed}），重新运行）")
    return scores


def _lighthouse_once(name: str, url: str) -> tuple[dict[str, int | None], str]:
    report = OUT / "lighthouse" / name
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
         f"--only-categories={','.join(CATEGORIES)}", "--output=json", "--output=html",
         f"--output-path={report}"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    path = report.with_name(f"{name}.report.json")
    if not path.exists():
        raise RuntimeError(f"{name}：Lighthouse 未能运行：{result.stderr.strip()[-400:]}")
    data = json.loads(path.read_text(encoding="utf-8"))
    categories = data["categories"]
    scores = {
        key: None if categories[key]["score"] is None else round(categories[key]["score"] * 100)
        for key in CATEGORIES
    }
    return scores, (data.get("runtimeError") or {}).get("code", "")


def check(base: str, paths: dict[str, str]) -> int:
    failed = False
    html_dir = OUT / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    (OUT / "lighthouse").mkdir(exist_ok=True)
    saved: dict[str, Path] = {}
    urls: dict[str, str] = {}
    for page in PAGES:
        urls[page.name] = base + page.path.format(**paths)
        status, body = fetch(urls[page.name])
        if status != page.status:
            print(f"{page.name}：{urls[page.name]} 应答 {status}，应为 {page.status}。")
            failed = True
        saved[page.name] = html_dir / f"{page.name}.html"
        saved[page.name].write_bytes(body)

    print("Nu HTML checker（vnu.jar，只计错误）：")
    errors = vnu(saved)
    for page in PAGES:
        found = errors.get(page.name, [])
        print(f"  {page.name:<10} {len(found)} 个错误")
        for line in found[:5]:
            print(f"    {line}")
        if len(found) > 5:
            print(f"    ……另有 {len(found) - 5} 个（见 vnu.json）")
        failed = failed or bool(found)

    print(f"Lighthouse {lighthouse_version()}（手机配置，Chromium {CHROMIUM}）：")
    print(f"  {'页面':<8} " + " ".join(f"{key:>14}" for key in CATEGORIES))
    for page in PAGES:
        if not page.lighthouse:
            continue
        try:
            scores = lighthouse(page.name, urls[page.name])
        except RuntimeError as error:  # an error found above still counts as a finding
            print(f"{error} NOT CHECKED")
            return 1 if failed else NOT_CHECKED
        cells = []
        for key in CATEGORIES:
            score = scores[key]
            low = score is None or (score < MIN_SCORE and key not in page.exempt)
            failed = failed or low
            mark = "!" if low else ("~" if key in page.exempt else " ")
            cells.append(f"{'—' if score is None else score:>13}{mark}")
        print(f"  {page.name:<10} " + " ".join(cells))
    print(f"  （! 低于 {MIN_SCORE} 分；~ 不计：搜索结果页 noindex）")
    print(f"报告：{OUT}")
    return 1 if failed else 0


def lighthouse_version() -> str:
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def main() -> int:
    missing = tools_missing()
    if missing:
        print("页面检查缺少工具：" + "；".join(missing) + "。NOT CHECKED")
        return NOT_CHECKED
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="kanwu-page-audit-") as data_dir:
        port = free_port()
        env = {
            **os.environ, "KANWU_DATA_DIR": data_dir, "KANWU_BASE_URL": f"http://127.0.0.1:{port}",
            "KANWU_DEBUG": "", "KANWU_HTTPS": "", "REDIS_URL": "", "DATABASE_URL": "",
        }  # fmt: skip
        print(f"演示站点：{data_dir}，端口 {port}……")
        try:
            kanwu(env, "migrate", "--noinput")
            kanwu(env, "demo", "--articles", "120")
            paths = json.loads(kanwu(env, "shell", "-c", DEMO_PATHS).strip().splitlines()[-1])
        except RuntimeError as error:
            print(f"{error} NOT CHECKED")
            return NOT_CHECKED
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [str(KANWU), "serve", "--port", str(port), "--no-worker"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server, time.monotonic() + 180)
            return check(base, paths)
        except RuntimeError as error:
            print(f"{error} NOT CHECKED")
            return NOT_CHECKED
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    sys.exit(main())
