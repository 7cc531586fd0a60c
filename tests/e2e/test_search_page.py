"""The search page in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

No browser-automation package: Chromium's own remote-debugging WebSocket, through aiohttp (already a
dependency of Faust). Needs `chromium` (apt), which `make test` installs. Each test saves a screenshot
under tests/artifacts/ (search-page.png, search-timeline.png, ...).

Besides the seeds, the tests index articles of their own (made here, dated over ten days in March
2019, placed in Cairo or Baghdad, all naming the made-up word زعترستان), and delete them afterwards:
the relevance suite counts what the seeds' queries find.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared import index
from shared.settings import Settings

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

    async def middle(self, selector: str) -> list[float]:
        """Where the element's middle is on the screen (scrolled into view first)."""
        box: list[float] = await self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        return box

    async def click(self, selector: str) -> None:
        """A real mouse click at the middle of the element."""
        box = await self.middle(selector)
        for kind in ("mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1
            )

    async def drag(self, start: list[float], end: list[float], steps: int = 8) -> None:
        """Press the mouse at `start`, move it to `end` in steps, release it there."""
        await self.send(
            "Input.dispatchMouseEvent",
            type="mousePressed",
            x=start[0],
            y=start[1],
            button="left",
            clickCount=1,
        )
        for step in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * step / steps
            y = start[1] + (end[1] - start[1]) * step / steps
            await self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y, button="left", buttons=1)
        await self.send(
            "Input.dispatchMouseEvent", type="mouseReleased", x=end[0], y=end[1], button="left", clickCount=1
        )

    async def open(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.done()

    async def done(self, condition: str = "true") -> None:
        """Until the page has drawn its answer and `condition` holds."""
        await self.until(f"document.body && document.body.dataset.state === 'done' && ({condition})")

    async def screenshot(self, name: str) -> Path:
        shot = await self.send("Page.captureScreenshot", format="png")
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


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
        # URLSearchParams writes a space as +
        seen["url"] = await page.evaluate("decodeURIComponent(location.search.replaceAll('+', ' '))")
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


# --- the page's own articles -------------------------------------------------------------------

WORD = "زعترستان"  # made up: no seed, no judged query and no real article has it
PLACES = {"القاهرة": "EG", "بغداد": "IQ"}
DAYS = [f"2019-03-{day:02d}" for day in range(1, 11)]


def _salad(rng: random.Random, words: int) -> str:
    """Made-up words: each article's own text, so dedup keeps them apart as stories; long enough that
    none is a name in the gazetteer (a short one, آرا or ساغا, is a place)."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    return " ".join(
        "".join(rng.choice(letters) + rng.choice("اوي") for _ in range(rng.randint(4, 5)))
        for _ in range(words)
    )


def page_articles() -> dict[str, bytes]:
    """File name -> JSON article: one a day for ten days, Cairo and Baghdad in turn, each naming a
    person, an organisation and a number; and a near copy of the first."""
    rng = random.Random(20)
    files = {}
    for n, day in enumerate(DAYS):
        place = list(PLACES)[n % 2]
        body = (
            f"قال أنطونيو غوتيريش الأمين العام للأمم المتحدة في {place} "
            f"إن {n + 2} آلاف شخص وصلوا إلى {WORD}. "
            f"{_salad(rng, 90)}.\n{_salad(rng, 60)}."
        )
        files[f"page-{n:02d}.json"] = json.dumps(
            {
                "title": f"{WORD}: خبر {n + 1} من {place}",
                "body": body,
                "published_at": f"{day}T10:00:00Z",
                "source": "akhbar-tests",
            },
            ensure_ascii=False,
        ).encode()
    first = json.loads(files["page-00.json"])
    first["body"] += " وأضاف المصدر أن الوضع هادئ."
    files["page-00-copy.json"] = json.dumps(first, ensure_ascii=False).encode()
    return files


def ingest(files: dict[str, bytes]) -> list[str]:
    """Sends the files through the pipeline, waits until they are searchable; their article ids."""
    akhbar = Path(sys.executable).with_name("akhbar")
    with tempfile.TemporaryDirectory(prefix="akhbar-page-") as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        result = subprocess.run(
            [str(akhbar), "ingest", folder, "--wait", "180"], capture_output=True, text=True
        )
    assert result.returncode == 0, result.stderr
    return [to_article(parse_file(data, name), name).id for name, data in files.items()]


def forget(settings: Settings, ids: list[str]) -> None:
    async def delete() -> None:
        es = index.client(settings)
        try:
            # a bulk delete: this Elasticsearch build has no _delete_by_query
            operations = [{"delete": {"_index": settings.index_alias, "_id": i}} for i in ids]
            await es.bulk(operations=operations, refresh=True)
        finally:
            await es.close()

    asyncio.run(delete())


@pytest.fixture(scope="module")
def page_url(search_url: str, settings: Settings) -> Iterator[str]:
    ids = ingest(page_articles())
    try:
        yield search_url
    finally:
        forget(settings, ids)


def _query(**params: str) -> str:
    return "/?" + urlencode({"q": WORD, **params})


HITS = "[...document.querySelectorAll('#hits > li.hit')]"
HIT_DATES = f"{HITS}.map(h => h.querySelector('.meta').textContent.slice(0, 10))"


async def drag_the_timeline(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.open(url + _query(collapse="false"))
        seen: dict[str, Any] = {
            "bars": await page.evaluate("document.querySelectorAll('#timeline rect.bar').length")
        }
        start = await page.middle("#timeline rect[data-date='2019-03-03']")
        end = await page.middle("#timeline rect[data-date='2019-03-05']")
        await page.drag(start, end)
        await page.done("location.search.includes('to=')")
        seen["url"] = await page.evaluate("decodeURIComponent(location.search)")
        seen["dates"] = await page.evaluate(HIT_DATES)
        seen["dimmed"] = await page.evaluate("document.querySelectorAll('#timeline rect.bar.off').length")
        seen["chips"] = await page.evaluate(
            "[...document.querySelectorAll('#chips .chip')].map(c => c.dataset.param)"
        )
        seen["shot"] = await page.screenshot("search-timeline")
        # a click on one day is that day alone
        await page.click("#timeline rect[data-date='2019-03-04']")
        await page.done("location.search.includes('from=2019-03-04&to=2019-03-04')")
        seen["one_day"] = await page.evaluate(HIT_DATES)
        return seen


def test_dragging_across_the_timeline_sets_the_date_range(page_url: str) -> None:
    seen = asyncio.run(drag_the_timeline(page_url))
    assert seen["bars"] == 10
    assert "from=2019-03-03" in seen["url"] and "to=2019-03-05" in seen["url"]
    assert sorted(seen["dates"]) == ["2019-03-03", "2019-03-04", "2019-03-05"]
    assert seen["dimmed"] == 0  # the timeline is over the results, which are these three days now
    assert {"from", "to"} <= set(seen["chips"])
    assert seen["one_day"] == ["2019-03-04"]
    assert seen["shot"].stat().st_size > 10_000


async def click_a_country(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.open(url + _query(collapse="false"))
        seen: dict[str, Any] = {
            "shaded": await page.evaluate(
                "[...document.querySelectorAll('#map path.country:not(.shade-0)')]"
                ".map(p => p.dataset.code).sort()"
            ),
            "before": await page.evaluate(f"{HITS}.length"),
        }
        await page.click("#map path[data-code='EG']")
        await page.done("location.search.includes('country=EG')")
        seen["after"] = await page.evaluate(f"{HITS}.length")
        seen["titles"] = await page.evaluate(f"{HITS}.map(h => h.querySelector('.title').textContent)")
        seen["on"] = await page.evaluate(
            "[...document.querySelectorAll('#map path.on')].map(p => p.dataset.code)"
        )
        seen["chip"] = await page.evaluate(
            "document.querySelector('#chips .chip[data-param=country]').textContent"
        )
        seen["shot"] = await page.screenshot("search-map")
        return seen


def test_clicking_a_country_on_the_map_filters_by_it(page_url: str) -> None:
    seen = asyncio.run(click_a_country(page_url))
    assert seen["shaded"] == ["EG", "IQ"]
    # every copy listed: 11 articles, a page of 10; Cairo has 5 of the 10 days and the near copy
    assert seen["before"] == 10 and seen["after"] == 6
    assert all("القاهرة" in title for title in seen["titles"])
    assert seen["on"] == ["EG"] and "مصر" in seen["chip"]
    assert seen["shot"].stat().st_size > 10_000


async def open_an_article(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.open(url + _query(sort="oldest"))
        seen: dict[str, Any] = {
            "copies_on_hit": await page.evaluate(
                "document.querySelector('#hits > li.hit .copies summary')?.textContent || ''"
            )
        }
        await page.click("#hits > li.hit h3 a")
        await page.done("location.pathname.startsWith('/article/')")
        seen["types"] = await page.evaluate(
            "[...new Set([...document.querySelectorAll('#body .mention')].map(m => m.dataset.type))].sort()"
        )
        seen["person"] = await page.evaluate("document.querySelector('#body .mention.PERSON').textContent")
        seen["number_title"] = await page.evaluate("document.querySelector('#body .mention.NUMBER').title")
        seen["body_direction"] = await page.evaluate(
            "getComputedStyle(document.getElementById('body')).direction"
        )
        seen["facts"] = await page.evaluate("document.querySelector('dl.facts').textContent")
        seen["copies"] = await page.evaluate(
            "[...document.querySelectorAll('#copies li[data-id]')]"
            ".map(c => `${c.dataset.id} ${c.textContent}`)"
        )
        seen["opened"] = await page.evaluate("location.pathname")
        seen["raw"] = await page.evaluate("document.getElementById('raw').getAttribute('href')")
        seen["shot"] = await page.screenshot("article-page")
        return seen


def test_an_article_page_highlights_entities_and_numbers_and_shows_both_calendars(page_url: str) -> None:
    seen = asyncio.run(open_an_article(page_url))
    assert "نسخة أخرى" in seen["copies_on_hit"]
    assert seen["types"] == ["LOCATION", "NUMBER", "ORGANIZATION", "PERSON"]
    assert seen["person"] == "أنطونيو غوتيريش"
    assert "القيمة: 2000" in seen["number_title"] and "الوحدة: شخص" in seen["number_title"]
    assert seen["body_direction"] == "rtl"
    # 1 March 2019 is 24 Jumada al-Akhirah 1440 (Umm al-Qura)
    assert (
        "1 مارس 2019" in seen["facts"] and "جمادى الآخرة 1440" in seen["facts"] and "العربية" in seen["facts"]
    )
    assert len(seen["copies"]) == 1, (seen["opened"], seen["copies"])
    assert seen["raw"].startswith("/v1/articles/")
    assert seen["shot"].stat().st_size > 10_000


async def page_forward_and_back(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.open(url + _query(collapse="false", size="4", sort="newest"))
        ids = f"{HITS}.map(h => h.dataset.id)"
        seen: dict[str, Any] = {"first": await page.evaluate(ids)}
        seen["buttons"] = await page.evaluate(
            "[...document.querySelectorAll('#pages button')].map(b => b.textContent)"
        )
        seen["previous_disabled"] = await page.evaluate("document.querySelector('#pages .previous').disabled")
        await page.click("#pages .next")
        await page.done("location.search.includes('page=2')")
        seen["second"] = await page.evaluate(ids)
        seen["current"] = await page.evaluate("document.querySelector('#pages .current').textContent")
        seen["shot"] = await page.screenshot("search-paging")
        await page.click("#pages .previous")
        await page.done("location.search.includes('page=1')")
        seen["again"] = await page.evaluate(ids)
        return seen


def test_paging_forward_and_back(page_url: str) -> None:
    seen = asyncio.run(page_forward_and_back(page_url))
    assert len(seen["first"]) == 4 and len(seen["second"]) == 4
    assert not set(seen["first"]) & set(seen["second"])
    assert seen["again"] == seen["first"] and seen["current"] == "2"
    assert seen["buttons"][0].endswith("السابقة") and seen["buttons"][-1].startswith("التالية")
    assert seen["buttons"][1:-1] == ["1", "2", "3"] and seen["previous_disabled"]
    assert seen["shot"].stat().st_size > 10_000


async def remove_a_chip(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.open(url + _query(collapse="false", country="IQ", lang="ar"))
        seen: dict[str, Any] = {
            "chips": await page.evaluate(
                "[...document.querySelectorAll('#chips .chip')].map(c => c.dataset.param)"
            ),
            "before": await page.evaluate(f"{HITS}.length"),
        }
        await page.click("#chips .chip[data-param=country]")
        await page.done("!location.search.includes('country=')")
        seen["after"] = await page.evaluate(f"{HITS}.length")
        seen["left"] = await page.evaluate(
            "[...document.querySelectorAll('#chips .chip')].map(c => c.dataset.param)"
        )
        seen["url"] = await page.evaluate("decodeURIComponent(location.search)")
        seen["shot"] = await page.screenshot("search-chips")
        return seen


def test_removing_a_filter_chip_widens_the_search(page_url: str) -> None:
    seen = asyncio.run(remove_a_chip(page_url))
    assert seen["chips"] == ["lang", "country", "collapse"]
    assert seen["before"] == 5 and seen["after"] == 10
    assert seen["left"] == ["lang", "collapse"] and f"q={WORD}" in seen["url"] and "lang=ar" in seen["url"]
    assert seen["shot"].stat().st_size > 10_000


async def search_for_nothing(url: str) -> dict[str, Any]:
    async with browser() as page:
        await page.open(url + _query(country="IQ", to="2019-03-01"))
        seen: dict[str, Any] = {
            "text": await page.evaluate("document.querySelector('#hits .no-results')?.textContent || ''"),
            "suggested": await page.evaluate(
                "[...document.querySelectorAll('#hits .no-results .chip')].map(c => c.dataset.param)"
            ),
            "state": await page.evaluate("document.body.dataset.results"),
        }
        seen["shot"] = await page.screenshot("search-no-results")
        await page.click("#hits .no-results .drop-filters")
        await page.done("!location.search.includes('country=')")
        seen["after"] = await page.evaluate(f"{HITS}.length")
        # a bad parameter is told in Arabic, not in the API's English
        await page.send("Page.navigate", url=url + "/?page=1000")
        await page.until("document.body && document.body.dataset.state === 'error'")
        seen["error"] = await page.evaluate("document.getElementById('summary').textContent")
        return seen


def test_a_search_without_results_suggests_what_to_change(page_url: str) -> None:
    seen = asyncio.run(search_for_nothing(page_url))
    assert seen["state"] == "none" and f"لا نتائج لـ «{WORD}»" in seen["text"]
    assert "أزل شرطا" in seen["text"] and "كتابة أخرى" in seen["text"]
    assert sorted(seen["suggested"]) == ["country", "to"]
    assert seen["after"] >= 1
    assert seen["error"] == "قيمة غير صالحة في «الصفحة»."
    assert seen["shot"].stat().st_size > 10_000
