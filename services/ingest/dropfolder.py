"""The watched drop folder: files put there, or in folders inside it, are published, then moved aside.

A file moves to `processed/` once Kafka acknowledged it: it is sent, not yet indexed (the pipeline
indexes it within seconds, or dead-letters what it cannot use, e.g. a bad member of an archive).
A file that holds no article moves to `rejected/` with a `.reason` file beside it. Both keep the
file's subfolder. Hidden files and folders (a name starting with `.`, as editors and downloads in
progress write them) are left where they are, logged once. Names come from the folder listing,
never from file contents, links are not followed, and every move stays inside the drop folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from shared.errors import RejectedInput
from shared.reasons import Reason

log = logging.getLogger(__name__)

PROCESSED = "processed"
REJECTED = "rejected"
# a file still growing is not taken; it is looked at again after this pause
SETTLE_SECONDS = 0.5

# publish(name, data) -> article ids; raises RejectedInput for a file that holds no article
Publisher = Callable[[str, bytes], Awaitable[list[str]]]


class _Wake(FileSystemEventHandler):
    """Wakes the asyncio side whenever anything changes in the folder (watchdog's own thread)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, wake: asyncio.Event) -> None:
        self.loop = loop
        self.wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.loop.call_soon_threadsafe(self.wake.set)


def _unique(target: Path) -> Path:
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    return candidate


class DropFolder:
    def __init__(self, root: Path, publish: Publisher, max_bytes: int) -> None:
        self.root = root.resolve()
        self.publish = publish
        self.max_bytes = max_bytes
        self.processed = self.root / PROCESSED
        self.rejected = self.root / REJECTED
        self._hidden_seen: set[Path] = set()

    def pending(self) -> list[Path]:
        """Regular files in the folder and its subfolders (not links, hidden files or the outcome folders)."""
        files: list[Path] = []
        for folder, subfolders, names in os.walk(self.root):
            here = Path(folder)
            for name in [*subfolders, *names]:
                if name.startswith("."):
                    self._skip_hidden(here / name)
            # os.walk descends into what is left in `subfolders`; it lists links to folders there too
            subfolders[:] = sorted(
                name
                for name in subfolders
                if not name.startswith(".")
                and here / name not in (self.processed, self.rejected)
                and not (here / name).is_symlink()
            )
            files.extend(here / name for name in names if not name.startswith(".") and _regular(here / name))
        return sorted(files)

    def _skip_hidden(self, path: Path) -> None:
        if path not in self._hidden_seen:
            self._hidden_seen.add(path)
            log.info(
                "skipped hidden file=%s (names starting with '.' are not taken)", path.relative_to(self.root)
            )

    async def run(self) -> None:
        for folder in (self.root, self.processed, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)
        wake = asyncio.Event()
        observer = Observer()
        observer.schedule(_Wake(asyncio.get_running_loop(), wake), str(self.root), recursive=True)
        observer.start()
        log.info("watching drop folder path=%s", self.root)
        try:
            while True:
                try:
                    await self.sweep()
                except OSError as exc:  # an unreadable or vanished file must not stop the watching
                    log.warning("drop folder sweep failed, will retry: %s", exc)
                # the sweep also runs every 5 s, in case an event was missed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=5.0)
                wake.clear()
        finally:
            observer.stop()
            observer.join(timeout=5)

    async def sweep(self) -> int:
        """Take every settled file once; returns how many were taken."""
        sizes = {path: path.stat().st_size for path in self.pending()}
        if not sizes:
            return 0
        await asyncio.sleep(SETTLE_SECONDS)
        taken = 0
        for path, size in sizes.items():
            if path.exists() and path.stat().st_size == size:
                await self.take(path)
                taken += 1
        return taken

    async def take(self, path: Path) -> None:
        relative = path.relative_to(self.root)
        try:
            if path.stat().st_size > self.max_bytes:
                raise RejectedInput(
                    f"file is {path.stat().st_size} bytes, over the limit of {self.max_bytes} "
                    "(larger archives go in with `akhbar ingest`, which sends them article by article)",
                    Reason.TOO_LARGE,
                )
            ids = await self.publish(path.name, path.read_bytes())
        except RejectedInput as exc:
            target = _move(path, self.rejected / relative)
            target.with_name(target.name + ".reason").write_text(f"{exc.reason}: {exc}\n", encoding="utf-8")
            log.warning("rejected file=%s reason=%s moved to %s/", relative, exc.reason, REJECTED)
            return
        _move(path, self.processed / relative)
        log.info(
            "published file=%s articles=%d: in Kafka, not yet indexed; moved to %s/",
            relative,
            len(ids),
            PROCESSED,
        )


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _move(path: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target = _unique(target)
    path.rename(target)
    return target
