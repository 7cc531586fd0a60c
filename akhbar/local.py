"""`akhbar up` / `akhbar down`: the local engines and services under supervisord.

Idempotent both ways: `up` starts only what is not running, `down` stops everything it started and
waits until the processes are gone.
"""

from __future__ import annotations

import base64
import configparser
import functools
import hashlib
import io
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from kafka import KafkaAdminClient

from akhbar import provision
from shared import resources, topics
from shared.errors import EngineNotReady
from shared.registry import SERVICES, ServiceSpec
from shared.settings import Settings

ES_USER = "akhbar"
KAFKA_READY_SECONDS = 90
ES_READY_SECONDS = 180
SERVICE_READY_SECONDS = 120


def say(message: str) -> None:
    print(f"akhbar: {message}", file=sys.stderr, flush=True)


def _es_state_dir(settings: Settings) -> Path:
    """Elasticsearch's data, logs and config: in the run folder, unless we are root.

    As root, Elasticsearch runs as an unprivileged user who may not be able to reach the run folder
    (e.g. under /root), so its state goes to /var/lib/akhbar/<hash of the folder holding the run folder>:
    for the default run folder that is the working directory, the checkout under `make`, as before.
    """
    if os.geteuid() != 0:
        return settings.run_dir / "elasticsearch"
    home = hashlib.sha1(str(settings.run_dir.parent).encode()).hexdigest()[:10]
    return Path("/var/lib/akhbar") / home / "elasticsearch"


def _ensure_es_user() -> None:
    try:
        pwd.getpwnam(ES_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
            check=True,
        )


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def _prepare_kafka(settings: Settings, java: str) -> dict[str, str]:
    libs = provision.kafka_libs()
    state = settings.run_dir / "kafka"
    data = state / "data"
    state.mkdir(parents=True, exist_ok=True)
    properties = state / "server.properties"
    properties.write_text(resources.read_text("local", "kafka", "server.properties") + f"\nlog.dirs={data}\n")
    log_config = resources.copy_out(state / "log4j2.yaml", "local", "kafka", "log4j2.yaml")
    if not (data / "meta.properties").exists():
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        subprocess.run(
            [
                java,
                "-cp",
                f"{libs}/*",
                f"-Dlog4j2.configurationFile={log_config}",
                "kafka.tools.StorageTool",
                "format",
                # one "=" argument: an id may start with "-" (base64url), which a separate argument
                # would turn into an unknown option
                f"--cluster-id={cluster_id}",
                "-c",
                str(properties),
                "--standalone",
            ],
            check=True,
            capture_output=True,
        )
    return {"AKHBAR_KAFKA_LIBS": str(libs), "AKHBAR_KAFKA_JAVA": java}


def _prepare_elasticsearch(settings: Settings) -> dict[str, str]:
    java_home = provision.find_java(provision.ES_MIN_JAVA)
    home = provision.elasticsearch_home()
    provision.install_plugin(home, provision.analysis_plugin(java_home), java_home)
    state = _es_state_dir(settings)
    config = state / "config"
    if not config.exists():
        shutil.copytree(home / "config", config)
    (config / "jvm.options.d").mkdir(exist_ok=True)
    (config / "elasticsearch.yml").write_text(
        resources.read_text("local", "elasticsearch", "elasticsearch.yml")
        + f"\npath.data: {state / 'data'}\npath.logs: {state / 'logs'}\n"
    )
    resources.copy_out(state / "run.sh", "local", "elasticsearch", "run.sh", executable=True)
    for sub in ("data", "logs", "tmp"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        _ensure_es_user()
        _chown_tree(state, ES_USER)
    return {
        "AKHBAR_ES_HOME": str(home),
        "AKHBAR_ES_STATE": str(state),
        "AKHBAR_ES_JAVA_HOME": str(java_home),
        "AKHBAR_ES_USER": ES_USER,
    }


def ingest_token(settings: Settings) -> str:
    """The HTTP door's bearer token: AKHBAR_INGEST_TOKEN, else one made once for this checkout."""
    if settings.ingest_token:
        return settings.ingest_token
    path = settings.run_dir / "ingest.token"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(24))
    return path.read_text().strip()


# what every program shares; supervisord fills the %(ENV_...)s values from the environment `up` gives it
PROGRAM_DEFAULTS = {
    "autostart": "false",
    "stopasgroup": "true",
    "killasgroup": "true",
    "redirect_stderr": "true",
}
ENGINE_PROGRAMS = {
    "kafka": {
        "command": "%(ENV_AKHBAR_KAFKA_JAVA)s -Xms256m -Xmx768m -XX:+UseG1GC "
        '-cp "%(ENV_AKHBAR_KAFKA_LIBS)s/*" -Dlog4j2.configurationFile=%(ENV_AKHBAR_RUN)s/kafka/log4j2.yaml '
        "kafka.Kafka %(ENV_AKHBAR_RUN)s/kafka/server.properties",
    },
    "elasticsearch": {
        "command": "%(ENV_AKHBAR_ES_STATE)s/run.sh",
        "environment": 'ES_JAVA_HOME="%(ENV_AKHBAR_ES_JAVA_HOME)s",'
        'ES_PATH_CONF="%(ENV_AKHBAR_ES_STATE)s/config",'
        'ES_TMPDIR="%(ENV_AKHBAR_ES_STATE)s/tmp",'
        'ES_HOME="%(ENV_AKHBAR_ES_HOME)s"',
    },
}


def supervisor_config(services: dict[str, ServiceSpec] = SERVICES) -> str:
    """supervisord's configuration, made from the registry so the two cannot disagree.

    Programs start only when `akhbar up` asks for them, so engines given by KAFKA_BOOTSTRAP /
    ELASTICSEARCH_URL are never started here.
    """
    config = configparser.ConfigParser(interpolation=None)  # the %(ENV_...)s are supervisord's to expand
    config["supervisord"] = {
        "logfile": "%(ENV_AKHBAR_RUN)s/logs/supervisord.log",
        "pidfile": "%(ENV_AKHBAR_RUN)s/supervisord.pid",
        "nodaemon": "false",
        "silent": "true",
    }
    config["unix_http_server"] = {"file": "%(ENV_AKHBAR_RUN)s/supervisor.sock"}
    config["supervisorctl"] = {"serverurl": "unix://%(ENV_AKHBAR_RUN)s/supervisor.sock"}
    config["rpcinterface:supervisor"] = {
        "supervisor.rpcinterface_factory": "supervisor.rpcinterface:make_main_rpcinterface"
    }
    for name, program in ENGINE_PROGRAMS.items():
        config[f"program:{name}"] = {
            **program,
            **PROGRAM_DEFAULTS,
            "autorestart": "false",
            "startsecs": "3",
            "stopwaitsecs": "60",
            "stdout_logfile": f"%(ENV_AKHBAR_RUN)s/logs/{name}.log",
            "stdout_logfile_maxbytes": "20MB",
        }
    config["group:services"] = {"programs": ",".join(services)}
    for name in services:
        config[f"program:{name}"] = {
            "command": f"%(ENV_AKHBAR_VENV)s/bin/akhbar service {name}",
            "directory": "%(ENV_AKHBAR_WORKDIR)s",
            **PROGRAM_DEFAULTS,
            "autorestart": "unexpected",
            "startsecs": "2",
            "stopwaitsecs": "15",
            "stdout_logfile": f"%(ENV_AKHBAR_RUN)s/logs/{name}.log",
            "stdout_logfile_maxbytes": "50MB",
        }
    text = io.StringIO()
    config.write(text)
    return text.getvalue()


def _supervisor_conf(settings: Settings) -> Path:
    """Write the generated configuration into the run folder; the same text every time."""
    path = settings.run_dir / "supervisord.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(supervisor_config())
    return path


def _supervisor_env(settings: Settings, extra: dict[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        # the services run where `up` ran and are told the run folder, so they find the drop folder
        # and the token wherever they are started from
        "AKHBAR_WORKDIR": str(Path.cwd()),
        "AKHBAR_RUN_DIR": str(settings.run_dir),
        "AKHBAR_RUN": str(settings.run_dir),
        "AKHBAR_VENV": str(Path(sys.prefix)),
        "AKHBAR_INGEST_TOKEN": ingest_token(settings),
        # placeholders so the config parses even when an engine is external and never started
        "AKHBAR_KAFKA_LIBS": "",
        "AKHBAR_KAFKA_JAVA": "java",
        "AKHBAR_ES_HOME": "",
        "AKHBAR_ES_STATE": "",
        "AKHBAR_ES_JAVA_HOME": "",
        "AKHBAR_ES_USER": ES_USER,
    }
    env.update(extra)
    return env


def _ctl(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.prefix) / "bin" / "supervisorctl"), "-c", str(_supervisor_conf(settings)), *args],
        env=_supervisor_env(settings, {}),
        capture_output=True,
        text=True,
    )


def supervisor_running(settings: Settings) -> bool:
    return (settings.run_dir / "supervisor.sock").exists() and _ctl(settings, "pid").returncode == 0


def program_states(settings: Settings) -> dict[str, str]:
    """Program name -> supervisord state (RUNNING, STOPPED, FATAL...)."""
    if not supervisor_running(settings):
        return {}
    states = {}
    for line in _ctl(settings, "status").stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            states[parts[0].split(":")[-1]] = parts[1]
    return states


def _wait(what: str, check: Callable[[], bool], seconds: int, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    raise EngineNotReady(f"{what} did not become ready within {seconds} s; see {log}")


def _kafka_answers(bootstrap: str) -> bool:
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    except Exception:
        return False
    try:
        admin.list_topics()
        return True
    except Exception:
        return False
    finally:
        admin.close()


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _start(settings: Settings, program: str) -> None:
    if program_states(settings).get(program) != "RUNNING":
        name = f"services:{program}" if program in SERVICES else program
        result = _ctl(settings, "start", name)
        if "ERROR" in result.stdout and "already started" not in result.stdout:
            raise EngineNotReady(
                f"{program} did not start: {result.stdout.strip()}; "
                f"see {settings.run_dir / 'logs' / f'{program}.log'}"
            )


def up(settings: Settings, services: bool = True) -> None:
    logs = settings.run_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    extra: dict[str, str] = {}
    if not settings.external_kafka:
        say("preparing Kafka (first run fetches its jars with Maven)")
        extra.update(_prepare_kafka(settings, str(provision.find_java(17) / "bin" / "java")))
    if not settings.external_elasticsearch:
        say("preparing Elasticsearch (first run fetches it and builds the analysis plugin)")
        extra.update(_prepare_elasticsearch(settings))
    if not supervisor_running(settings):
        subprocess.run(
            [str(Path(sys.prefix) / "bin" / "supervisord"), "-c", str(_supervisor_conf(settings))],
            env=_supervisor_env(settings, extra),
            check=True,
        )
        _wait("supervisord", lambda: supervisor_running(settings), 20, logs / "supervisord.log")
    else:
        # a checkout that gained a program since supervisord started: load it, leave the rest running
        _ctl(settings, "update")
    if not settings.external_kafka:
        _start(settings, "kafka")
    if not settings.external_elasticsearch:
        _start(settings, "elasticsearch")
    _wait(
        f"Kafka on {settings.kafka_bootstrap}",
        lambda: _kafka_answers(settings.kafka_bootstrap),
        KAFKA_READY_SECONDS,
        logs / "kafka.log",
    )
    say(f"Kafka ready on {settings.kafka_bootstrap}")
    _wait(
        f"Elasticsearch on {settings.elasticsearch_url}",
        lambda: _http_ok(settings.elasticsearch_url + "/_cluster/health?wait_for_status=yellow&timeout=1s"),
        ES_READY_SECONDS,
        logs / "elasticsearch.log",
    )
    say(f"Elasticsearch ready on {settings.elasticsearch_url}")
    topics.ensure_topics(settings.kafka_bootstrap, settings.topic_partitions, settings.replication_factor)
    if services:
        start_services(settings)
        say("every service is ready")


def start_services(settings: Settings) -> None:
    for name in SERVICES:
        _start(settings, name)
    _wait_services_ready(settings, list(SERVICES))


def stop_services(settings: Settings) -> None:
    _ctl(settings, "stop", "services:*")


def _wait_services_ready(settings: Settings, names: list[str]) -> None:
    for name in names:
        url = f"http://{settings.bind_host}:{SERVICES[name].port + settings.port_offset}/ready"
        _wait(
            f"service {name} ({url})",
            functools.partial(_http_ok, url),
            SERVICE_READY_SECONDS,
            settings.run_dir / "logs" / f"{name}.log",
        )


def restart(settings: Settings, names: list[str]) -> None:
    for name in names:
        result = _ctl(settings, "restart", f"services:{name}")
        if "ERROR" in result.stdout:
            raise EngineNotReady(f"{name} did not restart: {result.stdout.strip()}")
    _wait_services_ready(settings, names)
    say(f"restarted and ready: {', '.join(names)}")


def down(settings: Settings) -> None:
    if not supervisor_running(settings):
        say("nothing is running")
        return
    # services first, so they commit their offsets while Kafka is still there
    stop_services(settings)
    _ctl(settings, "stop", "elasticsearch", "kafka")
    pid_file = settings.run_dir / "supervisord.pid"
    _ctl(settings, "shutdown")
    deadline = time.monotonic() + 60
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    say("stopped")


def clean(settings: Settings) -> None:
    """Forget all local state: topics, index, logs. The engine cache is kept."""
    down(settings)
    for folder in (_es_state_dir(settings), settings.run_dir):
        shutil.rmtree(folder, ignore_errors=True)
    say(f"removed {settings.run_dir} and Elasticsearch's data")


@contextmanager
def extra_worker(
    settings: Settings,
    name: str,
    port_offset: int,
    workdir: Path,
    akhbar: Path = Path(sys.prefix) / "bin" / "akhbar",
) -> Iterator[subprocess.Popen[bytes]]:
    """One more process of a service beside the supervised one, ready, until the block ends.

    It joins the same consumer group, so Kafka splits the partitions between the two. Its own
    working directory keeps its Faust data directory apart; its log is workdir/<name>.log. `akhbar`
    is the command that runs it: this installation's, or another's (an installed wheel under test).
    """
    port = SERVICES[name].port + settings.port_offset + port_offset
    env = {
        **os.environ,
        "AKHBAR_PORT_OFFSET": str(settings.port_offset + port_offset),
        "AKHBAR_RUN_DIR": str(settings.run_dir),
    }
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / f"{name}.log").open("wb") as log:
        worker = subprocess.Popen(
            [str(akhbar), "service", name],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://{settings.bind_host}:{port}/ready"
            ready = functools.partial(_http_ok, url)
            _wait(f"a second {name} worker ({url})", ready, SERVICE_READY_SECONDS, workdir / f"{name}.log")
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(10)
