"""The watched drop folder: files put there are published, then moved aside.

A file moves to `processed/` only after Kafka acknowledged it, or to `rejected/` with a `.reason`
file beside it. Names come from the folder listing, never from file contents, and every move stays
inside the drop folder.
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

log = logging.getLogger(__name__)

PROCESSED = "processed"
REJECTED = "rejected"
# a file still growing is not taken; it is looked at again after this pause
SETTLE_SECONDS = 0.5

# publish(name, data) -> article id; raises RejectedInput for a file that is not an article
Publisher = Callable[[str, bytes], Awaitable[str]]


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

    def pending(self) -> list[Path]:
        """Regular files directly in the folder (not links, not the outcome folders)."""
        files = []
        for entry in os.scandir(self.root):
            if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                files.append(Path(entry.path))
        return sorted(files)

    async def run(self) -> None:
        for folder in (self.root, self.processed, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)
        wake = asyncio.Event()
        observer = Observer()
        observer.schedule(_Wake(asyncio.get_running_loop(), wake), str(self.root))
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
        try:
            if path.stat().st_size > self.max_bytes:
                raise RejectedInput(
                    f"file is {path.stat().st_size} bytes, over the limit of {self.max_bytes}",
                    "too_large",
                )
            await self.publish(path.name, path.read_bytes())
        except RejectedInput as exc:
            target = _unique(self.rejected / path.name)
            path.rename(target)
            target.with_name(target.name + ".reason").write_text(f"{exc.reason}: {exc}\n", encoding="utf-8")
            log.warning("rejected file=%s reason=%s", path.name, exc.reason)
            return
        path.rename(_unique(self.processed / path.name))
        log.info("published file=%s", path.name)
