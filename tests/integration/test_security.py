"""The HTTP ingest door's guards, and where the local services listen.

The door wants the bearer token before it reads anything, and refuses a file over the size limit
with 413 however the body comes: with a declared length, chunked, or as a multipart form.
"""

from __future__ import annotations

import http.client
import ipaddress
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from akhbar import local
from services.ingest.app import MULTIPART_OVERHEAD_BYTES
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared.registry import SERVICES
from shared.settings import Settings
from tests.e2e.test_pipeline import service_url
from tests.hostile import corpus

pytestmark = pytest.mark.integration
CHUNK = 1 << 20
RESTART_GRACE_SECONDS = 60
LISTEN = "0A"  # the TCP state code of a listening socket in /proc/net/tcp


@pytest.fixture(scope="module")
def url(stack: Settings) -> str:
    return service_url(stack, "ingest") + "/v1/files"


@pytest.fixture(scope="module")
def auth(stack: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {local.ingest_token(stack)}"}


def article_bytes() -> bytes:
    title, body = corpus.article(uuid.uuid4().hex)
    return f"{title}\n\n{body}".encode()


def chunked(size: int) -> Iterator[bytes]:
    """`size` bytes as a generator, which httpx sends chunked, with no Content-Length."""
    for start in range(0, size, CHUNK):
        yield b"a" * min(CHUNK, size - start)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer wrong"}, id="wrong-token"),
        pytest.param({"Authorization": "Basic d3Jvbmc6d3Jvbmc="}, id="other-scheme"),
    ],
)
def test_without_the_right_token_the_door_answers_401(url: str, headers: dict[str, str]) -> None:
    response = httpx.post(url, params={"filename": "a.txt"}, content=article_bytes(), headers=headers)
    assert response.status_code == 401


def test_the_token_without_its_scheme_is_refused(url: str, auth: dict[str, str]) -> None:
    bare = {"Authorization": auth["Authorization"].removeprefix("Bearer ")}
    response = httpx.post(url, params={"filename": "a.txt"}, content=article_bytes(), headers=bare)
    assert response.status_code == 401


def declared_only(stack: Settings, length: int, headers: dict[str, str]) -> int:
    """The status of a POST that declares `length` bytes and sends none: only the headers are judged."""
    host = urlsplit(service_url(stack, "ingest"))
    connection = http.client.HTTPConnection(host.hostname or "", host.port, timeout=30)
    try:
        connection.putrequest("POST", "/v1/files?filename=big.txt")
        for name, value in {**headers, "Content-Length": str(length)}.items():
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_declared_length_over_the_limit_is_413_before_any_body(
    stack: Settings, auth: dict[str, str]
) -> None:
    assert declared_only(stack, 10 * stack.max_file_bytes, auth) == 413


def test_the_token_is_checked_before_the_length(stack: Settings) -> None:
    assert declared_only(stack, 10 * stack.max_file_bytes, {}) == 401


@pytest.mark.parametrize(
    "over",
    [
        pytest.param(1, id="one-byte-over"),
        pytest.param(MULTIPART_OVERHEAD_BYTES + 1, id="over-the-body-limit"),
    ],
)
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_413(
    stack: Settings, url: str, auth: dict[str, str], over: int, declared: bool
) -> None:
    size = stack.max_file_bytes + over
    content = b"a" * size if declared else chunked(size)
    response = httpx.post(url, params={"filename": "big.txt"}, content=content, headers=auth, timeout=60)
    assert response.status_code == 413


def test_a_multipart_file_over_the_limit_is_413(stack: Settings, url: str, auth: dict[str, str]) -> None:
    files = {"file": ("big.txt", b"a" * (stack.max_file_bytes + 1), "text/plain")}
    assert httpx.post(url, files=files, headers=auth, timeout=60).status_code == 413


def test_a_multipart_file_at_the_limit_is_judged_by_its_content_not_refused_for_size(
    stack: Settings, url: str, auth: dict[str, str]
) -> None:
    # Whitespace: the form around it takes the request over the file limit, but the file is within it.
    files = {"file": ("blank.txt", b" " * stack.max_file_bytes, "text/plain")}
    response = httpx.post(url, files=files, headers=auth, timeout=60)
    assert (response.status_code, response.json()["reason"]) == (422, "empty")


def test_a_valid_upload_with_the_token_is_202(url: str, auth: dict[str, str]) -> None:
    data = article_bytes()
    response = httpx.post(url, params={"filename": "ok.txt"}, content=data, headers=auth, timeout=30)
    assert response.status_code == 202
    assert response.json()["id"] == to_article(parse_file(data, "ok.txt"), "ok.txt").id


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def listening_addresses() -> dict[int, set[Address]]:
    """Port -> addresses with a listening TCP socket, from /proc/net/tcp and tcp6."""
    found: dict[int, set[Address]] = {}
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            local_address, state = line.split()[1], line.split()[3]
            if state != LISTEN:
                continue
            host, port = local_address.split(":")
            # each 32-bit word of the address is printed in the host's (little-endian) byte order
            packed = b"".join(bytes.fromhex(host[i : i + 8])[::-1] for i in range(0, len(host), 8))
            found.setdefault(int(port, 16), set()).add(ipaddress.ip_address(packed))
    return found


def is_loopback(address: Address) -> bool:
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback


def test_every_service_and_engine_listens_on_loopback_only(stack: Settings) -> None:
    if not is_loopback(ipaddress.ip_address(stack.bind_host)):
        pytest.skip(f"AKHBAR_BIND_HOST is {stack.bind_host}: configured to listen beyond this host")
    ports = {name: spec.port + stack.port_offset for name, spec in SERVICES.items()}
    if not stack.external_kafka:
        ports["kafka"] = int(stack.kafka_bootstrap.rsplit(":", 1)[1])
    if not stack.external_elasticsearch:
        ports["elasticsearch"] = urlsplit(stack.elasticsearch_url).port or 9200
    # a service another engineer is restarting on the shared stack listens again within seconds
    deadline = time.monotonic() + RESTART_GRACE_SECONDS
    while not set(ports.values()) <= set(listening := listening_addresses()) and time.monotonic() < deadline:
        time.sleep(1)
    for name, port in ports.items():
        assert listening.get(port), f"{name} does not listen on {port}"
        exposed = {str(address) for address in listening[port] if not is_loopback(address)}
        assert not exposed, f"{name} listens on {port} beyond loopback: {exposed}"
