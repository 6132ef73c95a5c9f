"""A kanwu cluster on one machine, for `make test-cluster`.

Two app servers (`kanwu serve --no-worker`), each in a network namespace of its own joined to
this machine by a veth pair (or, where namespaces cannot be made, on distinct loopback ports),
one `kanwu worker`, nginx in front (deploy/nginx.conf with deploy/cluster/nginx-upstream.conf's
upstream), a private PostgreSQL (initdb in a temporary folder, as the `postgres` user) and a
private Redis, each on a free port; the media folder and the static export are shared folders.
The machine's own PostgreSQL (5432) and Redis (6379) are never touched.

Nothing here sleeps to let something happen: every wait polls its condition until DEADLINE.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tests.deadlines import DEADLINE

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
HOST = "kanwu.test"  # the site's name: every request through nginx or to a server carries it
SECRET_KEY = "cluster-harness-secret-key-shared-by-every-kanwu-process-0123456789"
APP_PORT = 8000  # inside a namespace every server has the port to itself


class Unavailable(Exception):
    """The machine cannot run the cluster (not root, no nginx, …): the reason, in words."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], T], what: str, deadline: float = DEADLINE) -> T:
    end = time.monotonic() + deadline
    while True:
        if value := check():
            return value
        if time.monotonic() >= end:
            raise AssertionError(f"gave up waiting for {what} after {deadline:g} s")
        time.sleep(0.1)


def machine_allows() -> str | None:
    """None when this machine can run the cluster, else why not."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, the postgres user, nginx)"
    for tool in ("nginx", "redis-server", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if postgres_bin() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    return None


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def run(*args: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=DEADLINE, check=check, **kwargs
    )


# --- HTTP -----------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def http(
    url: str,
    *,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """One request (no redirects followed); an HTTP error status is an answer, not a failure."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Host": HOST, **(headers or {})})  # noqa: S310 (http only)
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return Answer(response.status, _lower(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, _lower(error.headers), error.read())


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


# --- the parts ------------------------------------------------------------------------------


@dataclass
class Process:
    """A process of the cluster, its output in `log`."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    netns: str | None = None
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = ["ip", "netns", "exec", self.netns, *self.argv] if self.netns else self.argv
        self.popen = subprocess.Popen(
            argv,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def pids(self) -> list[int]:
        """Every process it started (its session), itself included."""
        if self.popen is None:
            return []
        sid = self.popen.pid
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid or int(stat.parent.name) == sid:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """kill -9 of the process and everything it started (a machine losing power)."""
        pids = set(self.pids())
        if self.netns:
            pids |= set(namespace_pids(self.netns))
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=DEADLINE)

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")[-4000:]


def namespace_pids(name: str) -> list[int]:
    result = run("ip", "netns", "pids", name, check=False)
    return [int(pid) for pid in result.stdout.split()]


@dataclass
class AppServer:
    name: str  # "A", "B"
    address: str  # where nginx reaches it
    host_address: str  # this machine's address as the server sees it (database, Redis)
    port: int
    process: Process

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    @property
    def upstream(self) -> str:
        return f"{self.address}:{self.port}"

    def healthy(self) -> bool:
        try:
            return http(self.url + "/healthz", timeout=5).status == 200
        except OSError:
            return False


@dataclass
class Cluster:
    root: Path
    namespaces: bool = False
    subnet: str = ""
    netns_names: list[str] = field(default_factory=list)
    veths: list[str] = field(default_factory=list)
    pg_port: int = 0
    redis_port: int = 0
    nginx_port: int = 0
    servers: list[AppServer] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    redis: Process | None = None
    nginx: Process | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    # Folders
    @property
    def shared(self) -> Path:
        return self.root / "shared"

    @property
    def media(self) -> Path:
        return self.shared / "media"

    @property
    def export(self) -> Path:
        return self.shared / "html"

    @property
    def pgdata(self) -> Path:
        return self.root / "pg" / "data"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    # --- network ---------------------------------------------------------------------------

    def make_namespaces(self) -> None:
        """Two namespaces, each joined to this machine by a veth pair; falls back to loopback
        ports (saying why) where they cannot be made."""
        used = run("ip", "-4", "addr").stdout
        choices = [n for n in range(200, 250) if f"10.{n}." not in used]
        self.subnet = f"10.{random.choice(choices)}"
        tag = f"{os.getpid() % 100000}"
        try:
            for index, name in enumerate(("a", "b"), start=1):
                ns, host_end, ns_end = f"kanwu{tag}{name}", f"kw{tag}{name}h", f"kw{tag}{name}n"
                run("ip", "netns", "add", ns)
                self.netns_names.append(ns)
                run("ip", "link", "add", host_end, "type", "veth", "peer", "name", ns_end)
                self.veths.append(host_end)
                run("ip", "link", "set", ns_end, "netns", ns)
                run("ip", "addr", "add", f"{self.subnet}.{index}.1/24", "dev", host_end)
                run("ip", "link", "set", host_end, "up")
                inside = ["ip", "netns", "exec", ns]
                run(*inside, "ip", "addr", "add", f"{self.subnet}.{index}.2/24", "dev", ns_end)
                run(*inside, "ip", "link", "set", ns_end, "up")
                run(*inside, "ip", "link", "set", "lo", "up")
            self.namespaces = True
        except subprocess.CalledProcessError as error:
            self.notes.append(
                f"network namespaces could not be made ({error.stderr.strip()}): "
                "the app servers listen on distinct loopback ports instead"
            )
            self.remove_namespaces()

    def remove_namespaces(self) -> None:
        for ns in self.netns_names:
            for pid in namespace_pids(ns):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            run("ip", "netns", "delete", ns, check=False)
        for veth in self.veths:  # gone with their namespace's end; just in case
            run("ip", "link", "delete", veth, check=False)
        self.netns_names.clear()
        self.veths.clear()

    def listen_addresses(self) -> list[str]:
        """Where PostgreSQL and Redis listen: loopback, and this machine's veth ends."""
        extra = [f"{self.subnet}.{i}.1" for i in (1, 2)] if self.namespaces else []
        return ["127.0.0.1", *extra]

    # --- PostgreSQL ------------------------------------------------------------------------

    def start_postgres(self) -> None:
        pg = postgres_bin()
        assert pg is not None
        (self.root / "pg").mkdir()
        shutil.chown(self.root / "pg", "postgres", "postgres")
        self.root.chmod(0o755)
        as_postgres = ["runuser", "-u", "postgres", "--"]
        run(*as_postgres, str(pg / "initdb"), "-D", str(self.pgdata), "-A", "trust",
            "-U", "postgres", "-E", "UTF8", "--locale", "C.UTF-8")  # fmt: skip
        networks = "\n".join(
            f"host all all {address}/32 trust" for address in self.listen_addresses()
        )
        subnet = f"host all all {self.subnet}.0.0/16 trust\n" if self.namespaces else ""
        (self.pgdata / "pg_hba.conf").write_text(f"local all all trust\n{networks}\n{subnet}")
        self.pg_port = free_port()
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.pg_port}\nlisten_addresses = '{','.join(self.listen_addresses())}'"
                f"\nunix_socket_directories = '{self.root / 'pg'}'\nfsync = off\n"
                "max_connections = 200\nshared_buffers = 64MB\n"
            )
        self.postgres_start()
        run("psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
            "-c", "CREATE DATABASE kanwu")  # fmt: skip

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        pg = postgres_bin()
        assert pg is not None
        return run("runuser", "-u", "postgres", "--", str(pg / "pg_ctl"), "-D", str(self.pgdata),
                   *args)  # fmt: skip

    def postgres_start(self) -> None:
        self.pg_ctl("start", "-w", "-l", str(self.root / "pg" / "postgres.log"))

    def postgres_stop(self) -> None:
        self.pg_ctl("stop", "-w", "-m", "fast")

    def database_url(self, host: str = "127.0.0.1") -> str:
        return f"postgres://postgres@{host}:{self.pg_port}/kanwu"

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url(), autocommit=True) as connection:
            return list(connection.execute(query, params).fetchall())  # type: ignore[arg-type]

    # --- Redis -----------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.redis_port = free_port()
        self.redis = Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                *self.listen_addresses(),
                "--protected-mode",
                "no",
            ],
            dict(os.environ),
            self.root / "redis.log",
        )
        self.redis_start()

    def redis_start(self) -> None:
        assert self.redis is not None
        self.redis.start()
        wait_until(self.redis_answers, "Redis to answer")

    def redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def redis_url(self, host: str = "127.0.0.1") -> str:
        return f"redis://{host}:{self.redis_port}/0"

    # --- kanwu -----------------------------------------------------------------------------

    def kanwu_env(self, data_dir: Path, host: str = "127.0.0.1") -> dict[str, str]:
        """The environment an operator gives every kanwu process (deploy/cluster/kanwu.env):
        the same database, Redis, secret key and export folder; a data folder of its own
        whose media folder is the shared one."""
        data_dir.mkdir(parents=True, exist_ok=True)
        for folder in ("media", "static"):  # shared: uploads; assets collected once
            if not (data_dir / folder).exists():
                (data_dir / folder).symlink_to(self.shared / folder)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
            and not key.startswith("KANWU_")
        }
        env.update(
            KANWU_DATA_DIR=str(data_dir),
            DATABASE_URL=self.database_url(host),
            REDIS_URL=self.redis_url(host),
            KANWU_SECRET_KEY=SECRET_KEY,
            KANWU_ALLOWED_HOSTS=HOST,
            KANWU_BASE_URL=f"http://{HOST}",
            KANWU_STATIC_DIR=str(self.export),
            KANWU_SERVE_MEDIA="0",
            # nginx reaches the servers from this machine's veth ends (or loopback).
            KANWU_TRUSTED_PROXIES=",".join(
                ["127.0.0.1", *([f"{self.subnet}.0.0/16"] if self.namespaces else [])]
            ),
            KANWU_SCHEDULE_INTERVAL="1",
            KANWU_BACKUP_DIR="0",
        )
        return env

    def kanwu(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A `kanwu` command on this machine (as an operator runs one on any server)."""
        result = subprocess.run(
            [sys.executable, "-m", "kanwu.cli", *args],
            env=self.kanwu_env(self.root / "admin"),
            capture_output=True,
            text=True,
            timeout=DEADLINE * 2,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"kanwu {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result

    def shell(self, code: str) -> str:
        return self.kanwu("shell", "-c", code).stdout

    def shell_on(self, server: AppServer, code: str) -> str:
        """`kanwu shell -c` on `server`'s machine, with its environment (what an editor's
        change made through that server runs)."""
        argv = [sys.executable, "-m", "kanwu.cli", "shell", "-c", code]
        if server.process.netns:
            argv = ["ip", "netns", "exec", server.process.netns, *argv]
        result = subprocess.run(
            argv, env=server.process.env, capture_output=True, text=True, timeout=DEADLINE
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def add_server(self, name: str, index: int) -> AppServer:
        if self.namespaces:
            ns = self.netns_names[index]
            address, host_address, port = (
                f"{self.subnet}.{index + 1}.2",
                f"{self.subnet}.{index + 1}.1",
                APP_PORT,
            )
        else:
            ns, address, host_address, port = None, "127.0.0.1", "127.0.0.1", free_port()
        data_dir = self.root / f"server-{name}"
        process = Process(
            f"app server {name}",
            [
                sys.executable,
                "-m",
                "kanwu.cli",
                "serve",
                "--no-worker",
                "--host",
                address,
                "--port",
                str(port),
                "--workers",
                "1",
                "--threads",
                "4",
                "--skip-collectstatic",
            ],
            self.kanwu_env(data_dir, host_address),
            self.root / f"server-{name}.log",
            netns=ns,
        )
        server = AppServer(name, address, host_address, port, process)
        self.servers.append(server)
        return server

    def start_server(self, server: AppServer) -> None:
        server.process.start()
        wait_until(
            lambda: server.healthy() or not server.process.running(),
            f"app server {server.name} to answer /healthz",
        )
        assert server.process.running(), server.process.output()

    def start_worker(self) -> Process:
        number = len(self.workers) + 1
        worker = Process(
            f"worker {number}",
            [sys.executable, "-m", "kanwu.cli", "worker"],
            self.kanwu_env(self.root / f"worker-{number}"),
            self.root / f"worker-{number}.log",
        )
        worker.start()
        self.workers.append(worker)
        return worker

    # --- nginx -----------------------------------------------------------------------------

    def nginx_conf(self) -> str:
        """deploy/nginx.conf with deploy/cluster/nginx-upstream.conf's upstream (these two
        servers), this port and these folders; in an `http` block of its own."""
        site = (DEPLOY / "nginx.conf").read_text()
        upstream = (DEPLOY / "cluster" / "nginx-upstream.conf").read_text()
        servers = "\n".join(
            f"    server {server.upstream} max_fails=1 fail_timeout=5s;" for server in self.servers
        )
        upstream = re.sub(r"(?m)^    server 10\.0\.0\.\d+:8000 .*\n", "", upstream)
        upstream = upstream.replace(
            "upstream kanwu_app {\n", "upstream kanwu_app {\n" + servers + "\n", 1
        )
        site = re.sub(r"(?s)upstream kanwu_app \{.*?\n\}\n", lambda _: upstream, site, count=1)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.nginx_port};")
        site = site.replace("/srv/kanwu/html", str(self.export))
        site = site.replace("/srv/kanwu/var/media/", f"{self.media}/")
        site = site.replace("/etc/nginx/kanwu_", f"{DEPLOY}/kanwu_")
        site = site.replace("server_name news.example.org;", f"server_name {HOST};")
        # Which server answered, for the tests (an operator may log $upstream_addr instead).
        site = site.replace(
            "location @app {\n",
            "location @app {\n        add_header X-Upstream $upstream_addr always;\n",
        )
        site = re.sub(
            r"(location /(?:comments|search|_)/ \{ proxy_pass http://kanwu_app;)",
            r"\1 add_header X-Upstream $upstream_addr always;",
            site,
        )
        run_dir = self.root / "nginx"
        return f"""
daemon off;
worker_processes 1;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run_dir}/access.log;
    client_body_temp_path {run_dir}/body;
    proxy_temp_path {run_dir}/proxy;
    fastcgi_temp_path {run_dir}/fastcgi;
    uwsgi_temp_path {run_dir}/uwsgi;
    scgi_temp_path {run_dir}/scgi;
{site}
}}
"""

    def start_nginx(self) -> None:
        self.nginx_port = free_port()
        run_dir = self.root / "nginx"
        run_dir.mkdir()
        conf = run_dir / "nginx.conf"
        conf.write_text(self.nginx_conf())
        check = run("nginx", "-t", "-c", str(conf), check=False)
        assert check.returncode == 0, check.stderr
        self.nginx = Process(
            "nginx", ["nginx", "-c", str(conf)], dict(os.environ), run_dir / "out.log"
        )
        self.nginx.start()
        wait_until(self.nginx_answers, "nginx to answer")

    def nginx_answers(self) -> bool:
        try:
            http(self.url + "/healthz", timeout=5)
            return True
        except OSError:
            return False

    # --- whole -----------------------------------------------------------------------------

    def start(self) -> None:
        started = time.monotonic()
        phases: dict[str, float] = {}

        def phase(name: str) -> None:
            phases[name] = round(time.monotonic() - started - sum(phases.values()), 1)

        self.media.mkdir(parents=True)
        (self.shared / "static").mkdir()
        self.export.mkdir(parents=True)
        # Assets need no database: collected (once, for every server) while the rest starts.
        collect = subprocess.Popen(
            [sys.executable, "-m", "kanwu.cli", "collectstatic", "--noinput", "-v0"],
            env=self.kanwu_env(self.root / "admin"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.make_namespaces()
        self.start_postgres()
        self.start_redis()
        phase("namespaces, PostgreSQL, Redis")
        self.kanwu("migrate", "--noinput", "-v0")
        phase("migrate")
        self.kanwu("demo", "--articles", "12")
        # The site's name, as an operator sets it (设置 › 站点): the export renders with it.
        self.shell(
            "from wagtail.models import Site; "
            f"Site.objects.filter(is_default_site=True).update(hostname={HOST!r}, port=80)"
        )
        phase("demo site")
        assert collect.wait(timeout=DEADLINE * 2) == 0, "kanwu collectstatic failed"
        phase("collectstatic (waited for)")
        for index, name in enumerate("AB"):
            self.add_server(name, index).process.start()
        self.start_worker()
        self.start_nginx()
        for server in self.servers:
            wait_until(
                lambda server=server: server.healthy() or not server.process.running(),
                f"app server {server.name} to answer /healthz",
            )
            assert server.process.running(), server.process.output()
        phase("app servers, worker, nginx")
        # The worker writes the whole export when the folder has none.
        wait_until(lambda: (self.export / "index.html").exists(), "the static export")
        phase("first static export")
        self.figures["cluster start-up (s)"] = round(time.monotonic() - started, 1)
        self.figures["cluster start-up phases (s)"] = phases

    def stop(self) -> None:
        """Stop and remove everything, whatever state it is in."""
        for process in [*(s.process for s in self.servers), *self.workers, self.nginx, self.redis]:
            if process is not None and process.popen is not None:
                with contextlib.suppress(Exception):
                    process.kill()
        if self.pgdata.exists():
            with contextlib.suppress(Exception):
                self.pg_ctl("stop", "-w", "-m", "immediate")
        self.remove_namespaces()
        if os.environ.get("KANWU_CLUSTER_KEEP"):  # to read the logs after a failure
            print(f"cluster logs kept in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    if (reason := machine_allows()) is not None:
        raise Unavailable(reason)
    root = Path(tempfile.mkdtemp(prefix="kanwu-cluster-"))
    setup = Cluster(root)
    try:
        setup.start()
        yield setup
    finally:
        setup.stop()


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
