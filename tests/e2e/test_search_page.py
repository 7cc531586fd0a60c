"""The search page in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

No browser-automation package: Chromium's own remote-debugging WebSocket, through aiohttp (already a
dependency of Faust). Needs `chromium` (apt), which `make test` installs. Saves a screenshot to
tests/artifacts/search-page.png.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,1100",
]


class Page:
    """One tab, spoken to with CDP commands; events are read and dropped."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        command_id = next(self.ids)
        await self.socket.send_json({"id": command_id, "method": method, "params": params})
        async for message in self.socket:
            data = json.loads(message.data)
            if data.get("id") == command_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data["result"]
                return result
        raise RuntimeError("the browser closed the connection")

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def until(self, expression: str, seconds: float = 20) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.2)
        raise AssertionError(f"still false after {seconds} s: {expression}")

    async def click(self, selector: str) -> None:
        """A real mouse click at the middle of the element."""
        box = await self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1
            )


@asynccontextmanager
async def browser() -> AsyncIterator[Page]:
    assert CHROMIUM, "Debian's chromium is missing: `make test` installs it (apt-get install -y chromium)"
    # Chromium's helper processes can still be writing to the profile as the directory is removed
    with tempfile.TemporaryDirectory(prefix="akhbar-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not port_file.exists() or not port_file.read_text().strip():
                assert time.monotonic() < deadline, "Chromium did not open its debugging port"
                await asyncio.sleep(0.1)
            port = port_file.read_text().split()[0]
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json()
                url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
                async with session.ws_connect(url, max_msg_size=64 * 1024 * 1024) as socket:
                    yield Page(socket)
        finally:
            process.terminate()
            process.wait(timeout=20)


async def search_on_the_page(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.send("Page.navigate", url=f"{url}/")
        await page.until("document.body && document.body.dataset.state === 'done'")
        await page.click("#q")
        await page.send("Input.insertText", text="النازحين")
        enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        await page.send("Input.dispatchKeyEvent", type="keyDown", text="\r", **enter)
        await page.send("Input.dispatchKeyEvent", type="keyUp", **enter)
        await page.until("location.search.includes('q=') && document.body.dataset.state === 'done'")
        seen: dict[str, Any] = {
            "q": await page.evaluate("document.getElementById('q').value"),
            "marks": await page.evaluate(
                "[...document.querySelectorAll('#hits mark')].map(m => m.textContent)"
            ),
            "hits": await page.evaluate("document.querySelectorAll('#hits > li').length"),
            "direction": await page.evaluate("getComputedStyle(document.body).direction"),
        }
        facet = "button.facet[data-facet=location]"
        seen["facet"] = await page.evaluate(f"document.querySelector('{facet}').dataset.value")
        await page.click(facet)
        await page.until("location.search.includes('location=') && document.body.dataset.state === 'done'")
        seen["chosen"] = await page.evaluate(f"document.querySelector('{facet}.on').dataset.value")
        seen["after"] = await page.evaluate("document.querySelectorAll('#hits > li').length")
        seen["url"] = await page.evaluate("decodeURIComponent(location.search)")
        shot = await page.send("Page.captureScreenshot", format="png")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "search-page.png").write_bytes(base64.b64decode(shot["data"]))
        return seen


def test_type_a_query_see_hits_click_a_facet(search_url: str) -> None:
    seen = asyncio.run(search_on_the_page(search_url))
    assert seen["direction"] == "rtl" and seen["q"] == "النازحين"
    assert seen["hits"] >= 1 and "النازحين" in seen["marks"]
    assert seen["chosen"] == seen["facet"] and f"location={seen['facet']}" in seen["url"]
    assert 1 <= seen["after"] <= seen["hits"]
    assert (ARTIFACTS / "search-page.png").stat().st_size > 10_000
