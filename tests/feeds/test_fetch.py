"""Tests for hub.feeds.fetch, against a real HTTP server on loopback.

The server runs on 127.0.0.1, which the fetch stage refuses by default, so most
tests allow private addresses; the refusal tests leave that off and only ever
point at loopback addresses, so a broken check could never send traffic off
this machine.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import shutil
import socket
import ssl
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from hub.feeds.fetch import ACCEPT, fetch_all, user_agent
from hub.feeds.holds import HOLD_CAP, HostHold
from hub.feeds.netguard import address_problem
from hub.feeds.result import FetchResult, Validators, parse_retry_after
from hub.model import FeedRef, FetchSettings
from tests.feedserver import FeedServer

AGENT = user_agent("https://connect.lakeview.example")
RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Traffic</title></channel></rss>"
FAST = FetchSettings(
    allow_private_addresses=True, connect_timeout=1.0, read_timeout=2.0, total_timeout=5.0
)


def remote(url: str) -> FeedRef:
    return FeedRef(source=url, url=url)


def fetch(*feeds: FeedRef, settings: FetchSettings = FAST, **options: Any) -> list[FetchResult]:
    return fetch_all(list(feeds), settings, user_agent=AGENT, **options)


def fetch_one(url: str, settings: FetchSettings = FAST, **options: Any) -> FetchResult:
    [result] = fetch(remote(url), settings=settings, **options)
    return result


@pytest.fixture
def two_hosts() -> Iterator[FeedServer]:
    with FeedServer(hosts=("127.0.0.1", "127.0.0.2")) as server:
        yield server


# -- the happy path and conditional GET ------------------------------------------------


def test_ok_returns_body_hash_and_validators(feed_server: FeedServer) -> None:
    feed_server.route(
        "/feed.xml", body=RSS, etag='"v1"', last_modified="Mon, 06 Jan 2025 10:00:00 GMT"
    )
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "ok"
    assert result.error is None
    assert result.body == RSS
    assert result.content_hash == hashlib.sha256(RSS).hexdigest()
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 06 Jan 2025 10:00:00 GMT"
    assert result.status_code == 200
    assert result.final_url == feed_server.url("/feed.xml")
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert result.moved_to is None


def test_sends_user_agent_accept_and_no_validators_on_first_fetch(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS)
    fetch_one(feed_server.url("/feed.xml"))
    [request] = feed_server.requests
    assert request.headers["user-agent"] == AGENT
    assert AGENT.startswith("police-social-hub/")
    assert AGENT.endswith("(+https://connect.lakeview.example)")
    assert request.headers["accept"] == ACCEPT
    assert request.headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in request.headers
    assert "if-modified-since" not in request.headers


def test_server_304_is_not_modified_and_keeps_validators(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS, etag='"v1"')
    url = feed_server.url("/feed.xml")
    old = Validators(etag='"v1"', last_modified="Mon, 06 Jan 2025 10:00:00 GMT", content_hash="abc")
    result = fetch_one(url, validators={url: old})
    assert result.outcome == "not_modified"
    assert result.status_code == 304
    assert result.body is None
    assert result.validators == old
    [request] = feed_server.requests
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Mon, 06 Jan 2025 10:00:00 GMT"


def test_changed_etag_gets_the_new_body(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS, etag='"v2"')
    url = feed_server.url("/feed.xml")
    result = fetch_one(url, validators={url: Validators(etag='"v1"')})
    assert result.outcome == "ok"
    assert result.body == RSS
    assert result.etag == '"v2"'


def test_unchanged_200_counts_as_not_modified(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS)
    url = feed_server.url("/feed.xml")
    same = Validators(content_hash=hashlib.sha256(RSS).hexdigest())
    result = fetch_one(url, validators={url: same})
    assert result.outcome == "not_modified"
    assert result.status_code == 200
    assert result.body is None
    assert result.content_hash == same.content_hash

    changed = fetch_one(url, validators={url: Validators(content_hash="0" * 64)})
    assert changed.outcome == "ok"
    assert changed.body == RSS


# -- timeouts --------------------------------------------------------------------------


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A loopback port whose accept queue is full, so new connections never complete."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in [*fillers, listener]:
        sock.close()


def test_connect_timeout(stalled_port: int) -> None:
    settings = replace(FAST, connect_timeout=0.3)
    result = fetch_one(f"http://127.0.0.1:{stalled_port}/feed.xml", settings)
    assert result.outcome == "error"
    assert result.error == "timed out after 0.3 s (connect)"


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_one(f"http://127.0.0.1:{port}/feed.xml")
    assert result.outcome == "error"
    assert result.error == f"connection refused by 127.0.0.1:{port}"


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[FeedServer]:
    """An HTTPS feed server whose certificate no client trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with FeedServer(tls=context) as server:
        yield server


def test_untrusted_tls_certificate_is_an_error(self_signed_server: FeedServer) -> None:
    self_signed_server.route("/feed.xml", body=RSS)
    url = self_signed_server.url("/feed.xml")
    assert url.startswith("https://")
    result = fetch_one(url)
    assert result.outcome == "error"
    where = f"127.0.0.1:{self_signed_server.port()}"
    assert result.error == f"TLS certificate of {where} rejected: self-signed certificate"


def test_https_to_a_plain_http_server_is_a_tls_error(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS)
    url = feed_server.url("/feed.xml").replace("http://", "https://")
    result = fetch_one(url)
    assert result.outcome == "error"
    assert result.error is not None
    assert result.error.startswith(f"TLS error with 127.0.0.1:{feed_server.port()}: ")


def test_read_timeout_when_headers_are_slow(feed_server: FeedServer) -> None:
    feed_server.route("/slow.xml", body=RSS, delay=2.0)
    result = fetch_one(feed_server.url("/slow.xml"), replace(FAST, read_timeout=0.2))
    assert result.outcome == "error"
    assert result.error == "timed out after 0.2 s (read)"


def test_whole_request_deadline_stops_a_slow_drip(feed_server: FeedServer) -> None:
    # Each chunk arrives well within the read timeout; only the deadline can stop it.
    feed_server.route("/drip.xml", body=b"x" * 2000, chunk_size=10, chunk_delay=0.05)
    settings = replace(FAST, read_timeout=1.0, total_timeout=0.4)
    result = fetch_one(feed_server.url("/drip.xml"), settings)
    assert result.outcome == "error"
    assert result.error == "timed out after 0.4 s (whole request)"


# -- the size cap ----------------------------------------------------------------------


@pytest.mark.parametrize("content_length", [True, False], ids=["content-length", "chunked"])
def test_body_over_the_cap_is_refused(feed_server: FeedServer, content_length: bool) -> None:
    feed_server.route("/big.xml", body=b"x" * 5000, content_length=content_length)
    result = fetch_one(feed_server.url("/big.xml"), replace(FAST, max_bytes=4096))
    assert result.outcome == "error"
    assert result.error == "body larger than 4 KiB"
    assert result.body is None


def test_body_exactly_at_the_cap_is_kept(feed_server: FeedServer) -> None:
    feed_server.route("/full.xml", body=b"x" * 4096, content_length=False)
    result = fetch_one(feed_server.url("/full.xml"), replace(FAST, max_bytes=4096))
    assert result.outcome == "ok"
    assert result.body == b"x" * 4096


def test_gzip_body_is_decoded(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS, gzip=True)
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "ok"
    assert result.body == RSS
    assert result.headers["content-encoding"] == "gzip"
    assert result.content_hash == hashlib.sha256(RSS).hexdigest()


def test_gzip_bomb_is_stopped_by_the_decoded_size(feed_server: FeedServer) -> None:
    bomb = b"\0" * (32 << 20)
    assert len(gzip.compress(bomb)) < 1 << 20
    feed_server.route("/bomb.xml", body=bomb, gzip=True)
    result = fetch_one(feed_server.url("/bomb.xml"), replace(FAST, max_bytes=1 << 20))
    assert result.outcome == "error"
    assert result.error == "body larger than 1 MiB"


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_body_is_decoded(feed_server: FeedServer, wbits: int) -> None:
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(RSS) + packer.flush()
    feed_server.route("/feed.xml", body=body, headers={"Content-Encoding": "deflate"})
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "ok"
    assert result.body == RSS


def test_unknown_content_encoding_is_an_error(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=b"??", headers={"Content-Encoding": "br"})
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "error"
    assert result.error == "unsupported Content-Encoding 'br'"


def test_corrupt_gzip_is_an_error(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "error"
    assert result.error is not None
    assert result.error.startswith("body is not valid gzip/deflate")


# -- redirects -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_is_reported_as_moved(feed_server: FeedServer, status: int) -> None:
    feed_server.route("/new.xml", body=RSS)
    feed_server.redirect("/old.xml", "/new.xml", status)
    result = fetch_one(feed_server.url("/old.xml"))
    assert result.outcome == "ok"
    assert result.body == RSS
    assert result.moved_to == feed_server.url("/new.xml")
    assert result.final_url == feed_server.url("/new.xml")


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirect_is_followed_but_not_moved(feed_server: FeedServer, status: int) -> None:
    feed_server.route("/today.xml", body=RSS)
    feed_server.redirect("/feed.xml", feed_server.url("/today.xml"), status)
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "ok"
    assert result.moved_to is None
    assert result.final_url == feed_server.url("/today.xml")


def test_moved_to_stops_at_the_first_temporary_hop(feed_server: FeedServer) -> None:
    feed_server.redirect("/a.xml", "/b.xml", 301)
    feed_server.redirect("/b.xml", "/c.xml", 302)
    feed_server.route("/c.xml", body=RSS)
    result = fetch_one(feed_server.url("/a.xml"))
    assert result.outcome == "ok"
    assert result.moved_to == feed_server.url("/b.xml")
    assert result.final_url == feed_server.url("/c.xml")


def test_temporary_then_permanent_is_not_moved(feed_server: FeedServer) -> None:
    feed_server.redirect("/a.xml", "/b.xml", 302)
    feed_server.redirect("/b.xml", "/c.xml", 301)
    feed_server.route("/c.xml", body=RSS)
    result = fetch_one(feed_server.url("/a.xml"))
    assert result.outcome == "ok"
    assert result.moved_to is None


def test_too_many_redirects(feed_server: FeedServer) -> None:
    feed_server.redirect("/loop.xml", "/loop.xml", 302)
    result = fetch_one(feed_server.url("/loop.xml"), replace(FAST, max_redirects=2))
    assert result.outcome == "error"
    assert result.error == "too many redirects (more than 2)"
    assert len(feed_server.requests_for("/loop.xml")) == 3


def test_redirect_without_location(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", status=302)
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "error"
    assert result.error == "HTTP 302 redirect without a Location header"


def test_redirect_to_a_private_address_is_refused(two_hosts: FeedServer) -> None:
    # Only the first server's address is trusted; the hop to 127.0.0.2 must be refused.
    target = two_hosts.url("/feed.xml", host="127.0.0.2")
    two_hosts.route("/feed.xml", body=RSS)
    two_hosts.redirect("/start.xml", target, 301)
    strict = replace(FAST, allow_private_addresses=False)
    result = fetch_one(two_hosts.url("/start.xml"), strict, allowed_networks=["127.0.0.1/32"])
    assert result.outcome == "error"
    assert result.error == "refused: 127.0.0.2 is a loopback address"
    assert [r.host for r in two_hosts.requests] == ["127.0.0.1"]


def test_redirect_to_a_non_http_scheme_is_refused(feed_server: FeedServer) -> None:
    feed_server.redirect("/feed.xml", "file:///etc/passwd", 302)
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "error"
    assert result.error == "refused: only http and https URLs are fetched, not file:"


# -- address safety --------------------------------------------------------------------


def test_loopback_server_is_refused_by_default(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", body=RSS)
    result = fetch_one(feed_server.url("/feed.xml"), FetchSettings())
    assert result.outcome == "error"
    assert result.error == "refused: 127.0.0.1 is a loopback address"
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "host",
    ["localhost", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0"],
)
def test_other_spellings_of_this_machine_are_refused(feed_server: FeedServer, host: str) -> None:
    feed_server.route("/feed.xml", body=RSS)
    result = fetch_one(f"http://{host}:{feed_server.port()}/feed.xml", FetchSettings())
    assert result.outcome == "error"
    assert result.error is not None
    assert result.error.startswith(f"refused: {host.strip('[]')} ")
    assert "loopback" in result.error or "unspecified" in result.error
    assert feed_server.requests == []


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("100.64.0.1", "a shared (CGNAT) address"),
        ("169.254.169.254", "a link-local address"),
        ("127.0.0.2", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.251", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fd00::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("2002:a00:1::", "a private address"),
        ("2002:7f00:1::", "a loopback address"),
        ("64:ff9b::a9fe:a9fe", "a link-local address"),
        ("64:ff9b:1::1", "a reserved address"),
        ("2001:db8::1", "a private address"),
    ],
)
def test_non_public_addresses_are_named(address: str, problem: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "2002:808:808::",
        "64:ff9b::808:808",
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://127.0.0.1/feed.xml", "refused: only http and https URLs are fetched, not ftp:"),
        ("file:///etc/passwd", "refused: only http and https URLs are fetched, not file:"),
        ("javascript:alert(1)", "refused: only http and https URLs are fetched, not javascript:"),
        (
            "example.test/feed.xml",
            "refused: 'example.test/feed.xml' is not an absolute http or https URL",
        ),
    ],
)
def test_non_http_urls_are_refused(url: str, error: str) -> None:
    result = fetch_one(url)
    assert result.outcome == "error"
    assert result.error == error


# -- statuses --------------------------------------------------------------------------


def test_410_is_gone(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", status=410, body=b"gone")
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.outcome == "gone"
    assert result.status_code == 410
    assert result.error is None


def test_404_is_an_error(feed_server: FeedServer) -> None:
    result = fetch_one(feed_server.url("/nothing-here.xml"))
    assert result.outcome == "error"
    assert result.error == "HTTP 404 Not Found"
    assert result.status_code == 404


def test_500_is_an_error(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", status=500)
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.error == "HTTP 500 Internal Server Error"


def test_429_with_retry_after_seconds(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", status=429, headers={"Retry-After": "120"})
    before = datetime.now(UTC)
    result = fetch_one(feed_server.url("/feed.xml"))
    after = datetime.now(UTC)
    assert result.outcome == "error"
    assert result.retry_after is not None
    assert before + timedelta(seconds=120) <= result.retry_after <= after + timedelta(seconds=120)
    assert result.error is not None
    assert result.error.startswith("HTTP 429 Too Many Requests (retry after ")


def test_503_with_retry_after_date(feed_server: FeedServer) -> None:
    retry = {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}
    feed_server.route("/feed.xml", status=503, headers=retry)
    result = fetch_one(feed_server.url("/feed.xml"))
    assert result.retry_after == datetime(2099, 10, 21, 7, 28, tzinfo=UTC)
    assert result.error == "HTTP 503 Service Unavailable (retry after 2099-10-21 07:28:00 UTC)"


def test_retry_after_skips_the_rest_of_that_host(two_hosts: FeedServer) -> None:
    two_hosts.route("/busy.xml", status=429, headers={"Retry-After": "600"})
    two_hosts.route("/feed.xml", body=RSS)
    first = two_hosts.url("/busy.xml")
    same_host = [two_hosts.url(f"/feed.xml?n={n}") for n in range(3)]
    other_host = two_hosts.url("/feed.xml", host="127.0.0.2")
    settings = replace(FAST, per_host=1)
    results = fetch(*map(remote, [first, *same_host, other_host]), settings=settings)

    busy, *skipped, other = results
    assert busy.status_code == 429
    assert busy.retry_after is not None
    host = f"127.0.0.1:{two_hosts.port()}"
    assert busy.hold is not None
    assert (busy.hold.host, busy.hold.until, busy.hold.status) == (host, busy.retry_after, 429)
    assert (busy.hold.why, busy.hold.source) == ("HTTP 429 Too Many Requests", first)
    for result in skipped:
        assert result.outcome == "held"
        assert result.retry_after == busy.retry_after
        assert result.hold == busy.hold
        assert result.error == (
            f"not asked: {host} is held until {busy.retry_after:%Y-%m-%d %H:%M:%S} UTC "
            f"(HTTP 429 Too Many Requests, in answer to {first})"
        )
    assert other.outcome == "ok"
    assert other.hold is None
    assert [r.path for r in two_hosts.requests if r.host == "127.0.0.1"] == ["/busy.xml"]


def a_hold(host: str, until: datetime, source: str = "https://elsewhere.example/") -> HostHold:
    return HostHold(host, until, 429, "HTTP 429 Too Many Requests", NOW, source)


NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_a_held_host_is_asked_nothing_until_its_time(two_hosts: FeedServer) -> None:
    two_hosts.route("/feed.xml", body=RSS)
    held = [two_hosts.url(f"/feed.xml?n={n}") for n in range(3)]
    other = two_hosts.url("/feed.xml", host="127.0.0.2")
    hold = a_hold(f"127.0.0.1:{two_hosts.port()}", NOW + timedelta(minutes=50))
    holds = {hold.host: hold}

    results = fetch(*map(remote, [*held, other]), holds=holds, now=NOW)

    assert [r.outcome for r in results] == ["held", "held", "held", "ok"]
    assert all(r.hold == hold and r.retry_after == hold.until for r in results[:3])
    assert {r.host for r in two_hosts.requests} == {"127.0.0.2"}
    # Once its time has come, the host is asked again.
    later = fetch(*map(remote, held), holds=holds, now=NOW + timedelta(minutes=51))
    assert [r.outcome for r in later] == ["ok", "ok", "ok"]
    assert len([r for r in two_hosts.requests if r.host == "127.0.0.1"]) == 3


def test_a_redirect_to_a_held_host_is_not_followed(two_hosts: FeedServer) -> None:
    two_hosts.route("/feed.xml", body=RSS)
    two_hosts.redirect("/old.xml", two_hosts.url("/feed.xml", host="127.0.0.2"), status=301)
    hold = a_hold(f"127.0.0.2:{two_hosts.port('127.0.0.2')}", NOW + timedelta(hours=1))

    [result] = fetch(remote(two_hosts.url("/old.xml")), holds={hold.host: hold}, now=NOW)

    assert (result.outcome, result.hold) == ("held", hold)
    assert result.moved_to == two_hosts.url("/feed.xml", host="127.0.0.2")
    assert [(r.host, r.path) for r in two_hosts.requests] == [("127.0.0.1", "/old.xml")]


def test_the_host_that_answered_429_is_held_not_the_one_that_redirected(
    two_hosts: FeedServer,
) -> None:
    two_hosts.route("/busy.xml", status=429, headers={"Retry-After": "3600"})
    two_hosts.route("/feed.xml", body=RSS)
    two_hosts.redirect("/old.xml", two_hosts.url("/busy.xml", host="127.0.0.2"))
    feeds = [two_hosts.url("/old.xml"), two_hosts.url("/feed.xml")]

    redirected, same_first_host = fetch(*map(remote, feeds), now=NOW)

    assert redirected.hold is not None
    assert redirected.hold.host == f"127.0.0.2:{two_hosts.port('127.0.0.2')}"
    assert redirected.hold.source == feeds[0]
    assert same_first_host.outcome == "ok"


def test_a_retry_after_counts_from_the_runs_clock(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", status=429, headers={"Retry-After": "3600"})
    [result] = fetch(remote(feed_server.url("/feed.xml")), now=NOW)
    assert result.hold is not None
    assert NOW < result.hold.said < NOW + timedelta(seconds=FAST.total_timeout)
    assert result.hold.until == result.hold.said + timedelta(hours=1)


def test_a_retry_after_of_a_month_holds_for_a_day(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", status=503, headers={"Retry-After": str(30 * 24 * 3600)})
    [result] = fetch(remote(feed_server.url("/feed.xml")), now=NOW)
    assert result.hold is not None
    assert result.hold.until == result.hold.said + HOLD_CAP == result.hold.said + timedelta(days=1)
    assert (result.hold.status, result.hold.why) == (503, "HTTP 503 Service Unavailable")


def test_an_http_date_retry_after_holds_until_that_date(feed_server: FeedServer) -> None:
    until = NOW + timedelta(hours=2)
    retry = {"Retry-After": format_datetime(until, usegmt=True)}
    feed_server.route("/feed.xml", status=429, headers=retry)
    [result] = fetch(remote(feed_server.url("/feed.xml")), now=NOW)
    assert result.hold is not None and result.hold.until == until


@pytest.mark.parametrize(
    "headers", [{}, {"Retry-After": "soon"}, {"Retry-After": "Mon, 06 Jan 2025 13:00:00 GMT"}]
)
def test_no_time_to_come_back_holds_nothing(
    feed_server: FeedServer, headers: dict[str, str]
) -> None:
    feed_server.route("/busy.xml", status=503, headers=headers)
    feed_server.route("/feed.xml", body=RSS)
    settings = replace(FAST, per_host=1)
    busy, other = fetch(
        remote(feed_server.url("/busy.xml")),
        remote(feed_server.url("/feed.xml")),
        settings=settings,
        now=NOW,
    )
    assert (busy.outcome, busy.status_code, busy.hold) == ("error", 503, None)
    assert other.outcome == "ok"


def test_parse_retry_after() -> None:
    now = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == now + timedelta(seconds=30)
    assert parse_retry_after("Mon, 06 Jan 2025 13:00:00 GMT", now) == now + timedelta(hours=1)
    assert parse_retry_after("Mon, 06 Jan 2025 08:00:00 -0500", now) == now + timedelta(hours=1)
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("9" * 40, now) is None


# -- concurrency -----------------------------------------------------------------------


def test_per_host_limit_is_never_exceeded(two_hosts: FeedServer) -> None:
    two_hosts.route("/feed.xml", body=RSS, delay=0.1)
    feeds = [
        remote(two_hosts.url(f"/feed.xml?n={n}", host=host))
        for n in range(6)
        for host in two_hosts.hosts
    ]
    results = fetch(*feeds, settings=replace(FAST, per_host=2, concurrency=16))
    assert [r.outcome for r in results] == ["ok"] * 12
    assert 1 <= two_hosts.peak(host="127.0.0.1") <= 2
    assert 1 <= two_hosts.peak(host="127.0.0.2") <= 2


def test_overall_limit_is_never_exceeded(two_hosts: FeedServer) -> None:
    two_hosts.route("/feed.xml", body=RSS, delay=0.1)
    feeds = [
        remote(two_hosts.url(f"/feed.xml?n={n}", host=host))
        for n in range(4)
        for host in two_hosts.hosts
    ]
    results = fetch(*feeds, settings=replace(FAST, per_host=4, concurrency=3))
    assert len(results) == 8
    assert 1 <= two_hosts.peak() <= 3


def test_a_queued_host_does_not_starve_the_others(two_hosts: FeedServer) -> None:
    # Feeds waiting for a slow host's slot must not sit on the shared slots meanwhile.
    two_hosts.route("/slow.xml", body=RSS, delay=0.3)
    two_hosts.route("/fast.xml", body=RSS)
    slow = [remote(two_hosts.url(f"/slow.xml?n={n}")) for n in range(4)]
    fast = remote(two_hosts.url("/fast.xml", host="127.0.0.2"))
    finished: list[str] = []
    fetch(
        *slow,
        fast,
        settings=replace(FAST, per_host=1, concurrency=2),
        on_result=lambda r: finished.append(r.source),
    )
    assert sorted(finished) == sorted(f.source for f in [*slow, fast])
    assert finished.index(fast.source) <= 1


def test_fifty_feeds_each_get_exactly_one_result(two_hosts: FeedServer) -> None:
    two_hosts.route("/ok.xml", body=RSS, delay=0.02)
    two_hosts.route("/gz.xml", body=RSS, gzip=True)
    two_hosts.route("/gone.xml", status=410)
    two_hosts.route("/huge.xml", body=b"x" * 10_000)
    two_hosts.route("/stuck.xml", body=RSS, delay=3.0)
    two_hosts.redirect("/moved.xml", "/ok.xml", 301)
    kinds = ["ok", "gz", "gone", "huge", "stuck", "moved", "missing"]
    urls = [
        two_hosts.url(f"/{kinds[n % len(kinds)]}.xml?n={n}", host=two_hosts.hosts[n % 2])
        for n in range(50)
    ]
    seen: list[str] = []
    # A read timeout well above the quick feeds' delay, even on a busy machine,
    # and well below the stuck ones'.
    settings = replace(FAST, per_host=4, concurrency=6, read_timeout=1.0, max_bytes=8192)
    results = fetch(
        *map(remote, urls), settings=settings, on_result=lambda r: seen.append(r.source)
    )

    assert [r.source for r in results] == urls
    assert sorted(seen) == sorted(urls)
    by_kind = {kind: {r.outcome for r in results if f"/{kind}.xml" in r.source} for kind in kinds}
    assert by_kind == {
        "ok": {"ok"},
        "gz": {"ok"},
        "gone": {"gone"},
        "huge": {"error"},
        "stuck": {"error"},
        "moved": {"ok"},
        "missing": {"error"},
    }
    assert all(r.moved_to for r in results if "/moved.xml" in r.source)


# -- local files -----------------------------------------------------------------------


def test_local_file_is_read_and_hashed(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(RSS)
    local = FeedRef(source="feeds/feed.xml", path=tmp_path / "feed.xml")
    [result] = fetch(local)
    assert result.outcome == "ok"
    assert result.body == RSS
    assert result.content_hash == hashlib.sha256(RSS).hexdigest()

    [again] = fetch(local, validators={local.source: result.validators})
    assert again.outcome == "not_modified"
    assert again.body is None


def test_local_file_over_the_cap(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(b"x" * 2048)
    local = FeedRef(source="feed.xml", path=tmp_path / "feed.xml")
    [result] = fetch(local, settings=replace(FAST, max_bytes=1024))
    assert result.outcome == "error"
    assert result.error == "body larger than 1 KiB"


def test_missing_local_file(tmp_path: Path) -> None:
    local = FeedRef(source="feeds/none.xml", path=tmp_path / "none.xml")
    [result] = fetch(local)
    assert result.outcome == "error"
    assert result.error == f"file not found: {tmp_path / 'none.xml'}"


@pytest.mark.parametrize(
    "url", ["https://feeds.lakeview.example/news.xml", "http://x.invalid/feed", "https://example/"]
)
def test_reserved_names_are_refused_without_asking_dns(url: str) -> None:
    # The demo's addresses are under .example: no build may send a DNS query for them.
    result = fetch_one(url, replace(FAST, allow_private_addresses=True))
    assert result.outcome == "error"
    assert result.error is not None and "reserved name" in result.error
