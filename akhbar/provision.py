"""Fetches and lays out the local engines: Kafka's jars and the Elasticsearch distribution.

Both come from Maven Central through the poms packaged in shared/resources/local/; the Elasticsearch
analysis plugin is built from a checkout's deploy/elasticsearch/analysis-plugin (Java source, which the
wheel does not carry) and installed into the cached distribution. Everything lands in the engine cache,
once; later runs find it there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from shared import resources
from shared.errors import EngineNotReady

KAFKA_POM = ("local", "kafka", "pom.xml")
ES_POM = ("local", "elasticsearch", "pom.xml")
PLUGIN_SOURCE = Path("deploy") / "elasticsearch" / "analysis-plugin"
PLUGIN_NAME = "akhbar-analysis"
ES_MIN_JAVA = 21


def cache_dir() -> Path:
    """Where fetched engines live: AKHBAR_CACHE, else a system cache for root, else ~/.cache.

    Root's cache is outside /root because Elasticsearch runs as an unprivileged user who must read it.
    """
    if os.environ.get("AKHBAR_CACHE"):
        return Path(os.environ["AKHBAR_CACHE"])
    if os.geteuid() == 0:
        return Path("/var/cache/akhbar")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "akhbar"


def pom_property(pom: tuple[str, ...], name: str) -> str:
    match = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", resources.read_text(*pom))
    if not match:
        raise ValueError(f"{'/'.join(pom)} has no <{name}> property")
    return match.group(1).strip()


def _pom_file(pom: tuple[str, ...]) -> str:
    """The packaged pom copied into the cache, where Maven may write its `target/` beside it."""
    return str(resources.copy_out(cache_dir() / "poms" / pom[-2] / pom[-1], *pom))


def _maven(args: list[str], java_home: Path | None = None) -> None:
    if shutil.which("mvn") is None:
        raise EngineNotReady("Maven (mvn) is needed to fetch the engines; install it (apt-get install maven)")
    env = dict(os.environ)
    if java_home is not None:
        env["JAVA_HOME"] = str(java_home)
    result = subprocess.run(["mvn", "-q", "-B", *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise EngineNotReady(f"mvn {' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")


def _java_major(java_home: Path) -> int:
    release = java_home / "release"
    if not release.exists():
        return 0
    match = re.search(r'JAVA_VERSION="(\d+)', release.read_text())
    return int(match.group(1)) if match else 0


def find_java(minimum: int) -> Path:
    """A JDK of at least `minimum`: AKHBAR_JAVA_HOME, JAVA_HOME, then the newest in /usr/lib/jvm."""
    candidates = [os.environ.get("AKHBAR_JAVA_HOME"), os.environ.get("JAVA_HOME")]
    found = [Path(c) for c in candidates if c]
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        found += sorted((p for p in jvm.iterdir() if p.is_dir()), key=_java_major, reverse=True)
    for home in found:
        if _java_major(home) >= minimum and (home / "bin" / "java").exists():
            return home
    raise EngineNotReady(
        f"Elasticsearch needs Java {minimum} or newer; none found in AKHBAR_JAVA_HOME, JAVA_HOME or "
        "/usr/lib/jvm. Install one (e.g. apt-get install openjdk-21-jdk) or set AKHBAR_JAVA_HOME."
    )


def kafka_libs() -> Path:
    version = pom_property(KAFKA_POM, "kafka.version")
    libs = cache_dir() / f"kafka-{version}" / "libs"
    if not (libs / f"kafka_2.13-{version}.jar").exists():
        partial = libs.with_name("libs.partial")
        shutil.rmtree(partial, ignore_errors=True)
        _maven(
            [
                "-f",
                _pom_file(KAFKA_POM),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={partial}",
                "-DincludeScope=runtime",
            ]
        )
        shutil.rmtree(libs, ignore_errors=True)
        partial.rename(libs)
    return libs


def elasticsearch_home() -> Path:
    version = pom_property(ES_POM, "elasticsearch.version")
    home = cache_dir() / f"elasticsearch-{version}"
    if not (home / "bin" / "elasticsearch").exists():
        unpacked = cache_dir() / "es.partial"
        shutil.rmtree(unpacked, ignore_errors=True)
        _maven(["-f", _pom_file(ES_POM), "dependency:unpack-dependencies", f"-DoutputDirectory={unpacked}"])
        shutil.rmtree(home, ignore_errors=True)
        (unpacked / f"elasticsearch-{version}").rename(home)
        shutil.rmtree(unpacked, ignore_errors=True)
    return home


def analysis_plugin(java_home: Path) -> Path:
    """Build the analysis plugin's zip (once per source change) and return its path.

    The source is looked for under the working directory, where `make` runs: a checkout.
    """
    source = PLUGIN_SOURCE.resolve()
    if not (source / "pom.xml").is_file():
        raise EngineNotReady(
            f"the Elasticsearch analysis plugin is built from a checkout's {PLUGIN_SOURCE}, not found "
            f"under {Path.cwd()}: run `akhbar up` from the checkout, or point ELASTICSEARCH_URL at an "
            "Elasticsearch that has the plugin"
        )
    target = source / "target"
    zips = sorted(target.glob(f"{PLUGIN_NAME}-*.zip")) if target.exists() else []
    sources = [p for p in source.rglob("*") if p.is_file() and target not in p.parents]
    newest_source = max(p.stat().st_mtime for p in sources)
    if not zips or zips[-1].stat().st_mtime < newest_source:
        _maven(["-f", str(source / "pom.xml"), "package", "-DskipTests"], java_home=java_home)
        zips = sorted(target.glob(f"{PLUGIN_NAME}-*.zip"))
    if not zips:
        raise EngineNotReady(f"building the analysis plugin made no zip in {target}")
    return zips[-1]


def install_plugin(es_home: Path, plugin_zip: Path, java_home: Path) -> None:
    """Install (or replace) the analysis plugin in the cached distribution."""
    installed = es_home / "plugins" / PLUGIN_NAME
    stamp = installed / ".akhbar-source"
    if stamp.exists() and stamp.read_text() == f"{plugin_zip.name}:{plugin_zip.stat().st_mtime}":
        return
    env = {**os.environ, "ES_JAVA_HOME": str(java_home)}
    tool = str(es_home / "bin" / "elasticsearch-plugin")
    if installed.exists():
        subprocess.run([tool, "remove", PLUGIN_NAME], env=env, capture_output=True)
        shutil.rmtree(installed, ignore_errors=True)
    result = subprocess.run(
        [tool, "install", "--batch", plugin_zip.as_uri()], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise EngineNotReady(f"installing the analysis plugin failed:\n{result.stdout}{result.stderr}")
    stamp.write_text(f"{plugin_zip.name}:{plugin_zip.stat().st_mtime}")
