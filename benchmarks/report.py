"""BENCHMARKS.md, benchmarks/results.json and benchmarks/chart.png, all from one results dictionary;
and the soak's section of BENCHMARKS.md, benchmarks/soak.json and benchmarks/soak.png."""

from __future__ import annotations

import json
import math
import os
import shlex
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from shared.registry import PIPELINE

ROOT = Path(__file__).resolve().parents[1]
# results["main"]'s corpora, as the report names them
CORPUS_TITLES = {"generated": "generated", "ant": "real (ANT)"}
SOAK_HEADING = "## Soak: real articles at half the sustained rate (issue 21)"


def _pyplot() -> ModuleType:
    """matplotlib, imported only to draw: it comes with the bench extra, and the rest of the
    benchmarks (their pass/fail rules and the unit tests of those) need only the project."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a chart is only ever a file
    import matplotlib.pyplot as plt

    return plt


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), "?"
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    memory_kib = int(meminfo[meminfo.index("MemTotal:") + 1])
    return {"nproc": os.cpu_count(), "cpu_model": model, "memory_gib": round(memory_kib / 2**20, 1)}


def run_header(module: str, argv: list[str] | None) -> dict[str, Any]:
    """When a run started, the command that ran it and the machine, as every results file opens."""
    return {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": f"python -m {module} {shlex.join(argv if argv is not None else sys.argv[1:])}".rstrip(),
        "machine": machine(),
    }


def write_json(results: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _measured(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The main phases that ran, by corpus title (the real one is missing without the corpus)."""
    return {CORPUS_TITLES[k]: phase for k, phase in results["main"].items() if "missing" not in phase}


def chart(results: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    fig, (left, middle, right) = plt.subplots(
        1, 3, figsize=(15, 4.5), gridspec_kw={"width_ratios": [3, 1.3, 1]}
    )
    stages = results["main"]["generated"]["stages"]
    limits = results["limits"]
    ends = {f"end to end\n{title}": phase["per_s"] for title, phase in _measured(results).items()}
    names = [*PIPELINE, *ends, "Kafka alone", "ES bulk alone", "one process"]
    values = [
        *(stages[name]["per_cpu_s"] for name in PIPELINE),
        *ends.values(),
        limits["kafka"]["per_s"],
        limits["elasticsearch"]["per_s"],
        limits["in_process"]["per_s"],
    ]
    colours = ["tab:blue"] * len(PIPELINE) + ["tab:red"] * len(ends) + ["tab:gray"] * 3
    left.bar(names, values, color=colours)
    left.set_yscale("log")
    left.set_ylabel("articles/s (stages: per CPU-second)")
    left.set_title("Throughput: stages (generated corpus) vs end to end vs limits")
    left.tick_params(axis="x", rotation=35)
    for x, v in enumerate(values):
        left.text(x, v, f"{v:.0f}", ha="center", va="bottom", fontsize=8)
    scaled = results["scaling"]
    labels = [name.replace(", ", ",\n") for name in scaled]
    middle.bar(labels, [phase["per_s"] for phase in scaled.values()], color="tab:green")
    middle.set_ylabel("articles/s, end to end")
    middle.set_title("Scaling")
    middle.tick_params(axis="x", rotation=0, labelsize=8)
    for x, phase in enumerate(scaled.values()):
        middle.text(x, phase["per_s"], f"{phase['per_s']:.1f}", ha="center", va="bottom", fontsize=8)
    latency = results["freshness"]
    percentiles = ["p50", "p95", "p99"]
    right.bar(percentiles, [latency[p] for p in percentiles], color="tab:orange")
    right.set_ylabel("seconds, ingest.files to searchable")
    right.set_title(f"Freshness at {latency['rate']:.0f} articles/s")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(results: dict[str, Any]) -> str:
    m, fresh, limits = results["machine"], results["freshness"], results["limits"]
    ratios = results["ratios"]
    measured = _measured(results)
    titles = list(measured)
    failed = ["**This run failed, these phases measured nothing:** " + "; ".join(results["unmeasured"]), ""]
    missing = [
        f"No phase on real articles: {p['missing']}." for p in results["main"].values() if "missing" in p
    ]
    labels = "; ".join(
        f"{title}: {', '.join(f'{k} {v}' for k, v in phase['corpus'].items())}"
        for title, phase in measured.items()
    )
    lines = [
        "# Benchmarks",
        "",
        "Regenerated by `make bench` (`python -m benchmarks.run`); the numbers are in",
        "`benchmarks/results.json`, the chart in `benchmarks/chart.png`. Every number below comes from one",
        f"run ({results['started']}, {results['seconds']:.0f} s) on one machine, shared by Kafka,",
        "Elasticsearch and the seven service processes.",
        "",
        *(failed if results["unmeasured"] else []),
        f"Machine: {m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB memory.",
        f"Run: `{results['command']}`",
        "",
        "![throughput and freshness](benchmarks/chart.png)",
        "",
        "## End to end",
        "",
        "The main phase, once per corpus on the same pipeline: articles made from the seeds by "
        "`benchmarks/corpus.py`, then real ones from the ANT corpus (`benchmarks/realnews.py`). Articles "
        f"sent, by label: {labels}.",
        *(["", *missing] if missing else []),
        "",
        _row("measure", *titles),
        _row("---", *("---" for _ in titles)),
        _row(
            "sustained, ingest.files to searchable",
            *(f"**{p['per_s']:.1f} articles/s**" for p in measured.values()),
        ),
        _row(
            "articles indexed / produced", *(f"{p['indexed']} / {p['produced']}" for p in measured.values())
        ),
        _row("phase length", *(f"{p['seconds']:.0f} s" for p in measured.values())),
        _row(
            f"freshness p50 / p95 / p99 at {fresh['rate']:.1f} articles/s ({fresh['found']} articles)",
            f"{fresh['p50']:.2f} / {fresh['p95']:.2f} / {fresh['p99']:.2f} s",
            *("not measured" for _ in titles[1:]),
        ),
        _row(
            "freshness: articles not searchable within 60 s of the end",
            fresh["lost"],
            *("" for _ in titles[1:]),
        ),
        "",
        f"Articles through the pipeline in the whole run (every phase): {results['pipeline_articles']}.",
        "",
        "## Per stage, during the end-to-end phases",
        "",
        "From each service's `/metrics` (deltas of `akhbar_records_out_total` and",
        "`process_cpu_seconds_total`). Out rate is bounded by the slowest stage; *per CPU-second* is what",
        "one core would give that stage alone; CPU share is of the whole machine.",
        "",
        _row(
            "stage",
            *(
                f"{t}: {c}"
                for t in titles
                for c in ("out, articles/s", "CPU share", "articles per CPU-second")
            ),
        ),
        _row("---", *("---:" for _ in titles for _ in range(3))),
    ]
    for name in PIPELINE:
        cells = []
        for phase in measured.values():
            s = phase["stages"][name]
            cells += [f"{s['per_s']:.1f}", f"{s['cpu_share']:.0%}", f"{s['per_cpu_s']:.0f}"]
        lines.append(_row(name, *cells))
    main = results["main"]["generated"]["per_s"]
    lines += [
        "",
        "## Scaling, in the same run",
        "",
        _row("configuration", "articles/s end to end", "against the main phase", "indexed / produced"),
        _row("---", "---:", "---:", "---:"),
        *(
            _row(
                name,
                f"{phase['per_s']:.1f}",
                f"{phase['per_s'] / main:.2f}",
                f"{phase['indexed']} / {phase['produced']}",
            )
            for name, phase in results["scaling"].items()
        ),
    ]
    steps = limits["in_process"]["step_per_s"]
    lines += [
        "",
        f"## Limits, measured in the same run (medians of {results['repeats']})",
        "",
        _row("limit", "articles/s", "end to end as a share"),
        _row("---", "---:", "---:"),
        _row(
            "(a) Kafka alone: produce, then consume the same records "
            f"(produce {limits['kafka']['produce_per_s']:.0f}/s, "
            f"consume {limits['kafka']['consume_per_s']:.0f}/s)",
            f"{limits['kafka']['per_s']:.0f}",
            f"{ratios['kafka']:.1%}",
        ),
        _row(
            "(b) Elasticsearch alone: bulk of the enriched documents, same template",
            f"{limits['elasticsearch']['per_s']:.0f}",
            f"{ratios['elasticsearch']:.1%}",
        ),
        _row(
            "(c) the same enrichment in one process, then bulk to Elasticsearch",
            f"{limits['in_process']['per_s']:.1f}",
            f"{ratios['in_process']:.1%}",
        ),
        "",
        "One-process time per step, articles/s on one core: "
        + ", ".join(f"{k} {v:.0f}" for k, v in steps.items())
        + ".",
        "",
        "## Notes",
        "",
        *(f"- {note}" for note in results["notes"]),
        "",
    ]
    return "\n".join(lines)


# Below this line BENCHMARKS.md holds the results of other benchmarks (long articles, the real
# corpus, single components, the soak), each from its own run: written by hand, or by its command
# (`make soak` replaces its own section); `make bench` keeps them all.
KEPT_MARK = "<!-- make bench keeps what follows: other benchmarks, each with its own command and run -->"


def kept_sections(path: Path) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    at = text.find(KEPT_MARK)
    return "\n" + text[at:] if at >= 0 else ""


def write_all(results: dict[str, Any]) -> None:
    write_json(results, ROOT / "benchmarks" / "results.json")
    chart(results, ROOT / "benchmarks" / "chart.png")
    target = ROOT / "BENCHMARKS.md"
    target.write_text(markdown(results) + kept_sections(target), encoding="utf-8")


def with_kept_section(text: str, heading: str, section: str) -> str:
    """BENCHMARKS.md's `text` with `section` below the mark: in place of the section under `heading`
    (up to the next `## ` heading), else after the last one. The mark is added when missing."""
    if KEPT_MARK not in text:
        text = (text.rstrip("\n") + "\n\n" if text else "") + KEPT_MARK + "\n"
    head, mark, kept = text.partition(KEPT_MARK)
    start = kept.find(f"\n{heading}\n")
    if start < 0:
        return f"{head}{mark}{kept.rstrip()}\n\n{section.strip()}\n"
    end = kept.find("\n## ", start + 1)
    return f"{head}{mark}{kept[: start + 1]}{section.strip()}\n{kept[end:] if end >= 0 else ''}"


def soak_section(soak: dict[str, Any]) -> str:
    m, s, limits = soak["machine"], soak["settings"], soak["limits"]
    failed = [c["name"] for c in soak["criteria"] if not c["passed"]]
    cpu = ", ".join(f"{name} {share:.2f}" for name, share in soak["cpu_share"].items() if share is not None)
    described = (
        f"`make soak` (`{soak['command']}`), started {soak['started']}, {soak['seconds']:.0f} s in all, on "
        f"the stack of `make up`; machine: {m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB. "
        f"ANT articles at {s['rate']:.1f} articles/s ({s['rate_source']}) for {s['minutes']:g} min to "
        f"`ingest.files`, every body marked with the run (`{s['tag']}`); every {s['sample_seconds']:g} s, "
        "each service's RSS and CPU time (/proc, for the pid supervisord gives), each consumer group's "
        f"lag, and the freshness of each article. Every criterion leaves out the first "
        f"{s['warmup_minutes']:g} min. RSS: median of the first against the last "
        f"{limits['rss_window_seconds'] / 60:g} min (a third of the time in a shorter run). Lag: highest "
        "in the last third against the first, with a floor of "
        f"{limits['lag_floor_seconds']:g} s of arrivals: well above what Faust's 2.8 s commit interval "
        "leaves uncommitted while nothing waits, and a backlog the pipeline (able to go twice as fast) "
        "clears in as long. "
        f"Dedup kept at most {s['dedup_max_articles']:,} articles (`AKHBAR_DEDUP_MAX_ARTICLES`): a cap "
        "the soak reaches during its warm-up, so that a growing RSS means a leak, not dedup's state "
        "filling up. Numbers in `benchmarks/soak.json`."
    )
    lines = [
        SOAK_HEADING,
        "",
        textwrap.fill(described, 100, break_long_words=False, break_on_hyphens=False),
        "",
        "**Passed.**" if not failed else f"**Failed: {', '.join(failed)}.**",
        "",
        _row("criterion", "limit", "measured", "result"),
        _row("---", "---", "---", "---"),
        *(
            _row(c["name"], c["limit"], c["measured"], "pass" if c["passed"] else "**fail**")
            for c in soak["criteria"]
        ),
        "",
        f"CPU after the warm-up, cores on average: {cpu or 'not known'}.",
        "",
        "![soak: memory, lag and freshness over time](benchmarks/soak.png)",
    ]
    return "\n".join(lines)


def soak_chart(soak: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    samples, windows = soak["samples"], soak["freshness_windows"]
    fig, (memory, lag, fresh) = plt.subplots(3, 1, figsize=(11, 10), sharex=True)
    minutes = [sample["t"] / 60 for sample in samples]
    for name in samples[0]["rss"]:
        rss = [math.nan if (v := sample["rss"][name]) is None else v / 2**20 for sample in samples]
        memory.plot(minutes, rss, label=name)
    memory.set_ylabel("RSS, MiB")
    memory.set_title(f"Soak: ANT articles at {soak['settings']['rate']:.1f}/s")
    for name in samples[0]["lag"]:
        lag.plot(
            minutes, [math.nan if (v := sample["lag"][name]) is None else v for sample in samples], label=name
        )
    lag.set_ylabel("consumer lag, records")
    fresh.plot([w["t"] / 60 for w in windows], [w["p50"] for w in windows], label="p50")
    fresh.plot([w["t"] / 60 for w in windows], [w["p95"] for w in windows], label="p95")
    fresh.axhline(soak["limits"]["freshness_p95_seconds"], color="tab:red", linestyle="--", label="p95 limit")
    fresh.set_ylabel("seconds, sent to searchable")
    fresh.set_xlabel("minutes since sending began (dotted: end of warm-up; dashed: end of sending)")
    for axes in (memory, lag, fresh):
        axes.axvline(soak["settings"]["warmup_minutes"], color="gray", linestyle=":")
        axes.axvline(soak["settings"]["minutes"], color="gray", linestyle="--")
        axes.legend(ncol=4, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_soak(soak: dict[str, Any]) -> None:
    write_json(soak, ROOT / "benchmarks" / "soak.json")
    soak_chart(soak, ROOT / "benchmarks" / "soak.png")
    target = ROOT / "BENCHMARKS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(with_kept_section(text, SOAK_HEADING, soak_section(soak)), encoding="utf-8")
