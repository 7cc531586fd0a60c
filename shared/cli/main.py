"""The `akhbar` command line."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
import time
from pathlib import Path

import click

from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared import index, kibana, topics
from shared.cli import local, report, status
from shared.cli.ingest import expand, ingest
from shared.errors import AkhbarError, RejectedInput
from shared.registry import SERVICES
from shared.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Akhbar: Arabic news in, enriched and searchable in Elasticsearch.

    Engines and services run locally under supervisord (`akhbar up`), or point at existing
    clusters with KAFKA_BOOTSTRAP and ELASTICSEARCH_URL. Logs are in .run/logs/.
    """


@cli.command()
@click.option("--engines-only", is_flag=True, help="Start Kafka and Elasticsearch, not the services.")
def up(engines_only: bool) -> None:
    """Fetch what is missing, start the engines and every service, wait until all are ready."""
    local.up(Settings.from_env(), services=not engines_only)


@cli.command()
def down() -> None:
    """Stop every service and local engine that `up` started, and wait until they are gone."""
    local.down(Settings.from_env())


@cli.command()
@click.argument("names", nargs=-1, required=True, type=click.Choice(sorted(SERVICES)))
def restart(names: tuple[str, ...]) -> None:
    """Restart services (e.g. after changing their code) and wait until they are ready again."""
    local.restart(Settings.from_env(), list(names))


@cli.command()
def clean() -> None:
    """Stop everything and delete local state (topics, index, logs); the engine cache stays."""
    local.clean(Settings.from_env())


@cli.command(name="status")
def show_status() -> None:
    """Each service's health and readiness, and its consumer group's lag."""
    settings = Settings.from_env()
    states = local.program_states(settings)
    if states:
        click.echo("processes: " + ", ".join(f"{k}={v}" for k, v in sorted(states.items())))
    click.echo(f"{'service':<10} {'health':<7} {'ready':<6} {'lag':>6}  url / problems")
    for s in status.collect(settings):
        lag = "-" if s.lag is None else str(s.lag)
        detail = "; ".join(s.problems) if s.problems else s.url
        click.echo(
            f"{s.name:<10} {'ok' if s.healthy else 'DOWN':<7} "
            f"{'yes' if s.ready else 'no':<6} {lag:>6}  {detail}"
        )


@cli.command(name="topics")
def create_topics() -> None:
    """Create the pipeline's topics (safe to repeat)."""
    settings = Settings.from_env()
    created = topics.ensure_topics(
        settings.kafka_bootstrap, settings.topic_partitions, settings.replication_factor
    )
    click.echo(f"created: {', '.join(created) or 'none (all exist)'}")


def _expected_ids(files: list[Path], max_bytes: int) -> set[str]:
    """The ids the valid files will have; rejected files will be dead-lettered, not indexed."""
    ids = set()
    for path in files:
        with contextlib.suppress(RejectedInput):
            parsed = parse_file(path.read_bytes(), path.name, max_bytes=max_bytes)
            ids.add(to_article(parsed, path.name).id)
    return ids


async def _wait_indexed(settings: Settings, ids: set[str], timeout: float) -> set[str]:
    es = index.client(settings)
    deadline = time.monotonic() + timeout
    try:
        while True:
            found: set[str] = set()
            if await es.indices.exists_alias(name=settings.index_alias):
                response = await es.mget(index=settings.index_alias, ids=sorted(ids), source=False)
                found = {d["_id"] for d in response["docs"] if d.get("found")}
            if found == ids or time.monotonic() > deadline:
                return ids - found
            await asyncio.sleep(0.5)
    finally:
        await es.close()


@cli.command(name="ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--wait",
    "wait_seconds",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Then wait up to SECONDS until every valid file is searchable.",
)
def ingest_command(paths: tuple[str, ...], wait_seconds: float | None) -> None:
    """Send files, folders or globs to the `ingest.files` topic, with a progress bar."""
    settings = Settings.from_env()
    files = list(expand(paths))
    if not files:
        raise click.UsageError(f"no files found in {' '.join(paths)}")
    sent = ingest(files, settings.kafka_bootstrap, show_progress=sys.stderr.isatty())
    click.echo(f"sent {sent} file(s) to {topics.INGEST_FILES}")
    if wait_seconds is not None:
        ids = _expected_ids(files, settings.max_file_bytes)
        missing = asyncio.run(_wait_indexed(settings, ids, wait_seconds))
        if missing:
            raise click.ClickException(
                f"{len(missing)} of {len(ids)} article(s) not searchable after {wait_seconds:.0f} s: "
                f"{', '.join(sorted(missing))}; see `akhbar status` and .run/logs/"
            )
        click.echo(f"all {len(ids)} article(s) are searchable in '{settings.index_alias}'")


@cli.command(name="report")
def show_report() -> None:
    """One line per indexed article: id, language, entity and number counts, dedup status."""
    settings = Settings.from_env()

    async def fetch() -> list[str]:
        es = index.client(settings)
        try:
            return report.format_rows(await report.indexed_articles(es, settings.index_alias))
        finally:
            await es.close()

    for row in asyncio.run(fetch()):
        click.echo(row)


@cli.group(name="index")
def index_group() -> None:
    """The Elasticsearch index template, index and alias."""


@index_group.command(name="init")
def index_init() -> None:
    """Put the index template and create the index behind the alias (safe to repeat)."""
    settings = Settings.from_env()

    async def init() -> str:
        es = index.client(settings)
        try:
            return await index.ensure_index(es, settings.index_alias)
        finally:
            await es.close()

    click.echo(f"alias '{settings.index_alias}' -> index '{asyncio.run(init())}'")


@cli.group(name="kibana")
def kibana_group() -> None:
    """Kibana's saved objects (KIBANA_URL, KIBANA_USERNAME, KIBANA_PASSWORD)."""


@kibana_group.command(name="load")
def kibana_load() -> None:
    """Import deploy/kibana/*.ndjson into Kibana, replacing objects of the same id."""
    url, auth = kibana.from_env()
    for name, count in kibana.load_saved_objects(url, auth).items():
        click.echo(f"{name}: {count} object(s)")


@cli.command(name="service")
@click.argument("name", type=click.Choice(sorted(SERVICES)))
def run_service(name: str) -> None:
    """Run one service in the foreground (what supervisord runs for each)."""
    sys.argv = [sys.argv[0]]  # the Faust worker reads its own options from argv
    importlib.import_module(f"services.{name}.app").main()


def main() -> None:
    try:
        cli()
    except AkhbarError as exc:
        click.echo(f"akhbar: {exc}", err=True)
        sys.exit(1)
