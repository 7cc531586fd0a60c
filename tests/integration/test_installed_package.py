"""The wheel, installed non-editable into a fresh venv outside the checkout, runs what the image runs.

The wheel is built from a copy of what deploy/docker/Dockerfile copies (pyproject.toml, README.md,
shared/, services/), as `pip install .` builds it there. The fresh venv borrows the development venv's
third-party packages through a .pth line, so a run does not download 250 MB again; the akhbar code
and its data files are the wheel's alone (the first test proves it: an added path line does not run
the development venv's own .pth files, so its editable finder never loads). Every command runs from a
working directory outside the checkout.

What writes to the engines keeps apart from the running pipeline: its own index alias, deleted after;
topics that already exist are left as they are; the installed language worker is started with
`akhbar.local.extra_worker`, so it joins the language group beside the supervised one, and the
test's articles are deleted from the index after.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from kafka import KafkaAdminClient, KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from akhbar import local
from shared import index, topics
from shared.registry import SERVICES
from shared.schema import Article
from shared.settings import Settings
from tests.e2e.test_pipeline import fetch_documents
from tests.faults.drill import delete_documents

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
# what the image copies from the checkout before `pip install .`, read from deploy/docker/Dockerfile's
# COPY lines; a COPY --from takes a build stage's output (the map's shapes), which `make setup` puts
# in the checkout already, inside a folder copied whole
IMAGE_COPIES = [
    source
    for line in (ROOT / "deploy" / "docker" / "Dockerfile").read_text(encoding="utf-8").splitlines()
    if line.startswith("COPY ") and not line.startswith("COPY --from=")
    for source in line.split()[1:-1]
]
PACKAGES = ("akhbar", "shared", "services")
NOT_PACKAGED = {".py", ".pyc", ".md"}  # code is packaged as modules; notes on sources stay in the checkout
PORT_OFFSET = 300  # clear of the supervised services and of the offsets the other tests use
ARTICLES = 12  # over 4 partitions shared by two workers: all on the other worker's half has odds of 1/4096


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    workdir: Path  # outside the checkout: where every installed command runs

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "akhbar"), *args],
            cwd=self.workdir,
            env={**os.environ, "AKHBAR_RUN_DIR": str(self.workdir / ".run"), **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("installed")
    assert ROOT not in work.parents
    source = work / "source"
    source.mkdir()
    for name in IMAGE_COPIES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = work / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = wheels.glob("akhbar-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    site = Path(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "akhbar-dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    workdir = work / "elsewhere"
    workdir.mkdir()
    return Installed(wheel, venv, workdir)


def packaged_ids() -> list[str]:
    return [
        json.loads(line)["id"]
        for path in sorted((ROOT / "shared" / "resources" / "kibana").glob("*.ndjson"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_the_code_and_its_data_are_the_wheels_not_the_checkouts(installed: Installed) -> None:
    where = subprocess.run(
        [
            str(installed.venv / "bin" / "python"),
            "-c",
            "import akhbar, shared, services, importlib.resources as r; print(akhbar.__file__); "
            "print(shared.__file__); print(services.__file__); print(r.files('shared.resources'))",
        ],
        cwd=installed.workdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(where) == 4
    for path in map(Path, where):
        assert installed.venv in path.parents and ROOT not in path.parents, path


def test_the_wheel_carries_every_data_file(installed: Installed) -> None:
    """What package-data leaves out is missing from the image: compare the wheel with the sources."""
    carried = set(zipfile.ZipFile(installed.wheel).namelist())
    data = [
        path.relative_to(ROOT).as_posix()
        for top in PACKAGES
        for path in (ROOT / top).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in NOT_PACKAGED
    ]
    assert len(data) > 20
    assert sorted(set(data) - carried) == []


def test_kibana_dry_run_finds_every_saved_object(installed: Installed) -> None:
    result = installed.run("kibana", "load", "--dry-run", env={"KIBANA_URL": "http://127.0.0.1:9"})
    assert result.returncode == 0, result.stderr
    assert [line.split()[2] for line in result.stdout.splitlines()] == packaged_ids()


def test_topics_creates_the_pipelines_topics(installed: Installed, engines: Settings) -> None:
    result = installed.run("topics")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created:")
    admin = KafkaAdminClient(bootstrap_servers=engines.kafka_bootstrap, client_id="akhbar-installed-test")
    try:
        assert set(topics.ALL) <= set(admin.list_topics())
    finally:
        admin.close()


async def _index_as_created(settings: Settings, alias: str) -> tuple[dict[str, Any], dict[str, Any]]:
    es = index.client(settings)
    try:
        names = list((await es.indices.get_alias(name=alias)).body)
        mapping = (await es.indices.get_mapping(index=names[0])).body[names[0]]["mappings"]
        template = (await es.indices.get_index_template(name=index.TEMPLATE_NAME)).body
        return mapping, template["index_templates"][0]["index_template"]
    finally:
        await es.close()


async def _drop_alias(settings: Settings, alias: str) -> None:
    es = index.client(settings)
    try:
        if await es.indices.exists_alias(name=alias):
            names = sorted((await es.indices.get_alias(name=alias)).body)
            await es.indices.delete(index=",".join(names))
    finally:
        await es.close()


def test_index_init_creates_the_template_and_the_alias(installed: Installed, engines: Settings) -> None:
    alias = f"akhbar-installed-{uuid.uuid4().hex[:8]}"
    try:
        result = installed.run("index", "init", env={"AKHBAR_INDEX_ALIAS": alias})
        assert result.returncode == 0, result.stderr
        assert (
            result.stdout.strip()
            == f"alias '{alias}' -> index '{index.index_name(alias, index.load_template())}'"
        )
        mapping, template = asyncio.run(_index_as_created(engines, alias))
        expected = index.load_template()
        assert template["version"] == expected["version"]
        assert mapping["properties"]["title"] == expected["template"]["mappings"]["properties"]["title"]
    finally:
        asyncio.run(_drop_alias(engines, alias))


def _records_in(url: str) -> float:
    families = text_string_to_metric_families(httpx.get(url, timeout=5).text)
    return sum(
        sample.value
        for family in families
        if family.name == "akhbar_records_in"
        for sample in family.samples
        if sample.name == "akhbar_records_in_total"
    )


@pytest.fixture
def installed_language(installed: Installed, stack: Settings) -> Iterator[str]:
    """The installed language service beside the supervised one, ready; yields its base URL."""
    akhbar = installed.venv / "bin" / "akhbar"
    with local.extra_worker(stack, "language", PORT_OFFSET, installed.workdir / "language", akhbar=akhbar):
        yield f"http://{stack.bind_host}:{SERVICES['language'].port + stack.port_offset + PORT_OFFSET}"


def raw_article(article_id: str, number: int) -> bytes:
    record = Article(
        id=article_id,
        title="خبر",
        # no place the search tests count hits for: these articles stay out of their totals
        body=f"قال مصدر إن {number} من سكان القرية وصلوا صباح اليوم إلى المدينة بعد رحلة طويلة.",
        source_file=f"{article_id}.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=time.time(),
    )
    return orjson.dumps(record.to_data())


def test_the_installed_language_service_carries_articles_to_the_index(
    installed_language: str, stack: Settings
) -> None:
    tag = uuid.uuid4().hex[:8]
    ids = {f"installed-{tag}-{n}": n + 2 for n in range(ARTICLES)}
    started = time.time()
    before = _records_in(f"{installed_language}/metrics")
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap, acks="all")
    try:
        for article_id, number in ids.items():
            producer.send(topics.ARTICLES_RAW, key=article_id.encode(), value=raw_article(article_id, number))
        producer.flush(30)
    finally:
        producer.close()
    try:
        documents = asyncio.run(fetch_documents(stack, set(ids), started))
        assert set(documents) == set(ids)
        assert all(doc["language"]["primary"] == "ar" for doc in documents.values())
        # the installed worker had half the partitions: it, not only the supervised one, did the work
        assert _records_in(f"{installed_language}/metrics") > before
    finally:
        delete_documents(stack, set(ids))
