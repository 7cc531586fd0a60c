"""The `akhbar` command line."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from collections import Counter
from typing import Any

import click
from tqdm import tqdm

from akhbar import dlq, local, report, reset, status
from akhbar.ingest import run as run_ingest
from akhbar.search import format_answer
from services.search import engine
from services.search.params import BadParameter, parse
from shared import index, kibana, topics
from shared.errors import AkhbarError
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


@cli.command(name="reset")
@click.option(
    "--partitions",
    type=click.IntRange(1, 64),
    default=None,
    help="Partitions of the recreated topics (default AKHBAR_TOPIC_PARTITIONS, 4).",
)
@click.option(
    "--yes-this-cluster",
    is_flag=True,
    help="Reset engines that `akhbar up` did not start here (KAFKA_BOOTSTRAP, ELASTICSEARCH_URL).",
)
def reset_command(partitions: int | None, yes_this_cluster: bool) -> None:
    """Empty the pipeline (its topics, consumer groups, index, dedup state), engines left running."""
    settings = Settings.from_env()
    reset.reset(settings, partitions or settings.topic_partitions, this_cluster=yes_this_cluster)


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
    statuses, kafka_problem = status.collect(settings)
    for s in statuses:
        lag = "-" if s.lag is None else str(s.lag)
        detail = "; ".join(s.problems) if s.problems else s.url
        click.echo(
            f"{s.name:<10} {'ok' if s.healthy else 'DOWN':<7} "
            f"{'yes' if s.ready else 'no':<6} {lag:>6}  {detail}"
        )
    if kafka_problem:
        click.echo(f"lag unknown: {kafka_problem}")


@cli.command(name="topics")
def create_topics() -> None:
    """Create the pipeline's topics (safe to repeat)."""
    settings = Settings.from_env()
    created = topics.ensure_topics(
        settings.kafka_bootstrap, settings.topic_partitions, settings.replication_factor
    )
    click.echo(f"created: {', '.join(created) or 'none (all exist)'}")


@cli.command(name="ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--wait",
    "wait_seconds",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Then wait up to SECONDS until every article sent is searchable.",
)
def ingest_command(paths: tuple[str, ...], wait_seconds: float | None) -> None:
    """Send files, folders, globs and archives to `ingest.files`, a record per article, with progress."""
    sys.exit(run_ingest(paths, Settings.from_env(), wait_seconds, show_progress=sys.stderr.isatty()))


@cli.command(name="report")
@click.option("--limit", default=100, show_default=True, help="Articles listed, by file name.")
@click.option("--all", "every", is_flag=True, help="List every indexed article.")
def show_report(limit: int, every: bool) -> None:
    """One line per indexed article: id, language, entity and number counts, dedup status."""
    settings = Settings.from_env()

    async def fetch() -> tuple[list[dict[str, Any]], int]:
        es = index.client(settings, request_timeout=120)
        try:
            return await report.indexed_articles(es, settings.index_alias, None if every else limit)
        finally:
            await es.close()

    articles, total = asyncio.run(fetch())
    for row in report.format_rows(articles):
        click.echo(row)
    if total > len(articles):
        click.echo(f"... {total - len(articles)} more of {total} not shown (--limit N, or --all)")


_SEARCH_FILTERS = {
    # option -> GET /v1/search parameter; every filter may be given several times
    "person": "person",
    "location": "location",
    "organization": "organization",
    "entity": "entity",
    "lang": "lang",
    "dedup": "dedup",
    "unit": "unit",
    "number": "number",
    "country": "country",
}


@cli.command(name="search")
@click.argument("words", nargs=-1)
@click.option("--person", multiple=True, help="Articles that name this person (canonical name).")
@click.option("--location", multiple=True, help="... this place.")
@click.option("--organization", multiple=True, help="... this organisation.")
@click.option("--entity", multiple=True, help="... this entity of any type (see --type).")
@click.option("--type", "entity_type", help="PERSON, LOCATION or ORGANIZATION.")
@click.option("--lang", multiple=True, help="Primary language (ar, en, ...).")
@click.option("--dedup", multiple=True, help="unique, exact, near or partial.")
@click.option("--unit", multiple=True, help="Articles with a number in this unit (e.g. شخص).")
@click.option("--number", multiple=True, help="A number condition, e.g. 'شخص>=1000' or 'percent>50'.")
@click.option("--country", multiple=True, help="... a place in this country (ISO code, e.g. SY).")
@click.option("--from", "date_from", help="Published on or after YYYY-MM-DD.")
@click.option("--to", "date_to", help="Published on or before YYYY-MM-DD.")
@click.option("--all", "every_copy", is_flag=True, help="Show every copy, not one hit per story.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--page", default="1")
@click.option("--size", default="10")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
def search_command(
    words: tuple[str, ...], entity_type: str | None, every_copy: bool, as_json: bool, **options: Any
) -> None:
    """Search the index as the search page does: `akhbar search النازحين --location حلب`."""
    settings = Settings.from_env()
    query: dict[str, list[str]] = {"q": [" ".join(words)], "collapse": ["false" if every_copy else "true"]}
    for option, parameter in _SEARCH_FILTERS.items():
        query[parameter] = list(options[option])
    for parameter, value in (
        ("type", entity_type),
        ("from", options["date_from"]),
        ("to", options["date_to"]),
        ("sort", options["sort"]),
        ("page", options["page"]),
        ("size", options["size"]),
    ):
        query[parameter] = [value] if value else []
    try:
        params = parse(query)
    except BadParameter as exc:
        raise click.BadParameter(exc.reason, param_hint=exc.name) from None

    async def run() -> dict[str, Any]:
        es = index.client(settings)
        try:
            return await engine.search(es, settings.index_alias, params)
        finally:
            await es.close()

    answer = asyncio.run(run())
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    for line in format_answer(answer, color=sys.stdout.isatty()):
        click.echo(line)


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


@index_group.command(name="reindex")
def index_reindex() -> None:
    """After a template version change: new index, copy every document, move the alias (old one kept)."""
    settings = Settings.from_env()

    async def move() -> index.Reindexed:
        es = index.client(settings, request_timeout=120)
        try:
            return await index.reindex(es, settings.index_alias)
        finally:
            await es.close()

    done = asyncio.run(move())
    if done.source == done.target:
        click.echo(f"alias '{done.alias}' already points at '{done.target}': nothing to do")
        return
    click.echo(f"alias '{done.alias}': '{done.source}' -> '{done.target}', {done.copied} document(s)")
    click.echo(f"'{done.source}' is kept; delete it when you no longer need to go back")


@cli.group(name="kibana")
def kibana_group() -> None:
    """Kibana's saved objects (KIBANA_URL, KIBANA_USERNAME, KIBANA_PASSWORD)."""


@kibana_group.command(name="load")
@click.option("--dry-run", is_flag=True, help="List the packaged saved objects; do not contact Kibana.")
def kibana_load(dry_run: bool) -> None:
    """Import the packaged saved objects into Kibana, replacing objects of the same id.

    Exits non-zero when there is nothing to load, or Kibana loaded nothing.
    """
    if dry_run:
        for file in kibana.saved_object_files():
            for obj in kibana.saved_objects(file):
                click.echo(f"{file.name}: {obj['type']} {obj['id']} {obj['attributes'].get('title', '')}")
        return
    url, auth = kibana.from_env()
    for name, count in kibana.load_saved_objects(url, auth).items():
        click.echo(f"{name}: {count} object(s)")


@cli.group(name="dlq")
def dlq_group() -> None:
    """The dead-letter topic (articles.dlq): what failed, why, and sending it through again."""


def _dlq_filters(stage: str | None, reason: str | None, since: str | None) -> dlq.Filters:
    try:
        return dlq.Filters(stage, reason, dlq.parse_since(since))
    except dlq.DlqError as exc:
        raise click.BadParameter(str(exc)) from None


_DLQ_FILTERS = [
    click.option("--stage", help="Only letters from this stage (ingest, language, ..., indexer)."),
    click.option("--reason", help="Only letters with this reason code (see shared/reasons.py)."),
    click.option(
        "--since", help="Only letters newer than this: an age (30m, 2h, 1d) or a date (2026-12-01)."
    ),
]


def _with_dlq_filters(command: Any) -> Any:
    for option in reversed(_DLQ_FILTERS):
        command = option(command)
    return command


@dlq_group.command(name="list")
@_with_dlq_filters
@click.option("--limit", default=20, show_default=True, help="Letters listed, newest first (0: none).")
def dlq_list(stage: str | None, reason: str | None, since: str | None, limit: int) -> None:
    """Counts by stage and reason, then the newest letters."""
    letters = dlq.read(Settings.from_env(), _dlq_filters(stage, reason, since))
    if not letters:
        click.echo("no dead letters" + (" match" if stage or reason or since else ""))
        return
    click.echo(f"{len(letters)} dead letter(s)")
    for stage_name, reason_code, count in dlq.tally(letters):
        click.echo(f"  {count:6d}  {stage_name:9s} {reason_code}")
    shown = list(reversed(letters))[:limit]
    if shown:
        click.echo(f"\nnewest {len(shown)} (PARTITION:OFFSET, for `akhbar dlq show`):")
    for letter in shown:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(letter.get("at") or 0))
        name = letter.get("filename") or letter.get("article_id") or letter.get("key") or "-"
        error = (letter.get("error") or "").replace("\n", " ")[:90]
        # the file name isolated from the right-to-left text around it (U+2068 ... U+2069)
        where = f"{letter.get('stage'):9s} {letter.get('reason')}"
        click.echo(f"  {letter.ref:>9s}  {when}  {where}  \u2068{name}\u2069  {error}")
    if len(letters) > len(shown):
        click.echo(f"  ... and {len(letters) - len(shown)} older (--limit)")


@dlq_group.command(name="show")
@click.argument("wanted", metavar="PARTITION:OFFSET|ARTICLE_ID")
def dlq_show(wanted: str) -> None:
    """One letter: where it failed, why, and the payload (decoded when it is text)."""
    try:
        letter = dlq.find(dlq.read(Settings.from_env()), wanted)
    except dlq.DlqError as exc:
        raise click.ClickException(str(exc)) from None
    for name, value in letter.fields.items():
        if name not in ("payload",):
            click.echo(f"{name}: {value}")
    click.echo(f"letter: articles.dlq {letter.ref}")
    payload = letter.payload()
    click.echo("payload" + (" (its first 64 KiB)" if letter.get("payload_truncated") else "") + ":")
    try:
        click.echo(payload.decode("utf-8"))
    except UnicodeDecodeError:
        click.echo(f"{len(payload)} bytes of binary, not shown")


@dlq_group.command(name="replay")
@_with_dlq_filters
@click.option("--dry-run", is_flag=True, help="Say where each letter would go; send nothing.")
def dlq_replay(stage: str | None, reason: str | None, since: str | None, dry_run: bool) -> None:
    """Send each matching letter's original record back to where it failed.

    Files go to ingest.files with their file name, article records to the input topic of the stage
    that refused them, each with an akhbar-replay header. Article ids are digests of the text, so
    replaying twice indexes nothing new.
    """
    settings = Settings.from_env()
    letters = dlq.read(settings, _dlq_filters(stage, reason, since))
    outcomes: Counter[str] = Counter()
    with tqdm(total=len(letters), unit="letter", desc="replay" + (" (dry run)" if dry_run else "")) as bar:
        for letter, where in dlq.replay(settings, letters, dry_run):
            outcomes[where if not where.startswith("skipped") else "skipped"] += 1
            if where.startswith("skipped"):
                tqdm.write(f"{letter.ref}: {where}")
            bar.update()
    verb = "would go to" if dry_run else "sent to"
    for where, count in outcomes.most_common():
        click.echo(f"{count} skipped" if where == "skipped" else f"{count} {verb} {where}")
    if not letters:
        click.echo("no dead letters match")


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
