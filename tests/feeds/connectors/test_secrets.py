"""Tokens are hidden from every string printed, stored or reported."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from hub.cli.report import Run, markdown, save
from hub.feeds.connectors import secrets
from hub.store.update import FeedOutcome, UpdateReport

TOKEN = "EAAsecretsTESTtoken+/=9876"


def test_a_remembered_token_is_hidden_in_every_spelling() -> None:
    secrets.remember([TOKEN, "short"])
    text = f"a {TOKEN} b {quote(TOKEN, safe='')} c {json.dumps(TOKEN)}"
    assert secrets.redact(text) == 'a [hidden] b [hidden] c "[hidden]"'
    assert secrets.redact("short words stay") == "short words stay"
    assert secrets.redact_bytes(f"x{TOKEN}y".encode()) == b"x[hidden]y"
    assert secrets.value_of("NOT_SET_ANYWHERE", {}) is None


def test_any_token_in_a_url_or_header_is_hidden() -> None:
    text = (
        "GET /v26.0/me?fields=id&access_token=EAAunknown123&limit=2 "
        "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0 and refresh_token=rt.1-2 "
        "(client_secret=abc) Bearer bonds stay"
    )
    assert secrets.redact(text) == (
        "GET /v26.0/me?fields=id&access_token=[hidden]&limit=2 "
        "Authorization: Bearer [hidden] and refresh_token=[hidden] "
        "(client_secret=[hidden]) Bearer bonds stay"
    )


def test_json_is_redacted_keys_and_all() -> None:
    secrets.remember([TOKEN])
    value = {"a": [TOKEN, 1, None], TOKEN: {"b": f"x{TOKEN}"}}
    assert secrets.redact_json(value) == {
        "a": ["[hidden]", 1, None],
        "[hidden]": {"b": "x[hidden]"},
    }


def test_the_report_and_the_summary_never_hold_a_token(tmp_path: Path) -> None:
    secrets.remember([TOKEN])
    failed = FeedOutcome("api:x:LakeviewPS", "failed", f"HTTP 500: {TOKEN} access_token=zz")
    run = Run("fetch", datetime(2026, 11, 20, tzinfo=UTC))
    run.update = UpdateReport((failed,), 1.0)
    run.fail(1, f"boom {TOKEN}")
    summary = tmp_path / "summary.md"
    save(run, tmp_path / "cache", str(summary))
    written = (tmp_path / "cache" / "report.json").read_text() + summary.read_text()
    assert TOKEN not in written and "zz" not in written
    assert "[hidden]" in written
    assert TOKEN not in markdown(run) and TOKEN in (run.error or "")


def test_what_an_api_said_is_cut_only_once_its_tokens_are_hidden() -> None:
    # A token that a cut would have split: its first part is no long run any more.
    token = "EAAB" + "7" * 40
    said = secrets.said(" " * 795 + token + " after", 200)
    assert "EAAB" not in said and "777" not in said
    assert secrets.HIDDEN in said
    # Words and host names stay; a long run of letters and digits both goes.
    said = secrets.said(
        "Invalid OAuth access token for graph.facebook.com: ab12cd34ef56gh78ij90", 200
    )
    assert said == f"Invalid OAuth access token for graph.facebook.com: {secrets.HIDDEN}"
    assert secrets.said(None, 200) == ""
    assert len(secrets.said("word " * 100, 50)) == 50
