"""Tests for hub.site.curation: real curation.yaml files in tmp_path, loaded and checked.

Each problem is pinned to its file, line and column, as ``hub check`` prints
it; the editors' schema (content/curation.schema.json) is the committed one
and agrees with the checker on the demo's file.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from hub.model import Registry
from hub.registry import load as registry
from hub.site import curation
from hub.site.content import ContentError, load_content
from hub.site.curation import Curation, Hide, Mute, Pin, normalize_url

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "fr")


@pytest.fixture(scope="module")
def demo() -> Registry:
    return registry.load(ROOT / "sources.yaml").registry


def load(tmp_path: Path, text: str, reg: Registry | None = None) -> Curation:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "curation.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_content(content, LANGS, display_root=tmp_path, registry=reg).curation


def problems(tmp_path: Path, text: str, reg: Registry | None = None) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(tmp_path, text, reg)
    return [p.format() for p in caught.value.problems]


# What is valid


def test_no_file_and_an_empty_file_curate_nothing(tmp_path: Path) -> None:
    assert load_content(tmp_path / "content", LANGS).curation == Curation()
    assert load(tmp_path, "# nothing yet\n") == Curation()


def test_every_key_loads(tmp_path: Path, demo: Registry) -> None:
    loaded = load(
        tmp_path,
        """
        hide:
          - {url: "https://x.com/LakeviewPS/status/1", reason: A victim's name, date: 2026-11-21}
        pin:
          - url: https://social.lakeview.example/@lakeviewpolice/2
            until: 2026-11-30
        hold: [Shots   fired, lockdown]
        approve: [https://x.com/LakeviewPS/status/3]
        mute:
          - {account: "twitter:@lakeviewtraffic", reason: Hijacked, until: 2026-12-01}
          - {account: "mastodon:@lakeviewpolice@social.lakeview.example", reason: Test}
        """,
        demo,
    )
    assert loaded.hide == (
        Hide("https://x.com/LakeviewPS/status/1", "A victim's name", date(2026, 11, 21), (2, 5)),
    )
    assert loaded.pin == (
        Pin("https://social.lakeview.example/@lakeviewpolice/2", date(2026, 11, 30), (4, 10)),
    )
    assert loaded.hold == ("Shots fired", "lockdown")
    assert loaded.approve == ("https://x.com/LakeviewPS/status/3",)
    assert [(m.account, m.until) for m in loaded.mute] == [
        ("x:lakeviewtraffic", date(2026, 12, 1)),
        ("mastodon:lakeviewpolice@social.lakeview.example", None),
    ]
    assert isinstance(loaded.mute[0], Mute) and loaded.mute[0].written == "twitter:@lakeviewtraffic"


# Problems, each where it is written


def test_a_bad_date_is_pointed_at(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """
        hide:
          - url: https://x.com/LakeviewPS/status/1
            reason: Wrong
            date: 21/11/2026
        pin:
          - {url: "https://x.com/a/status/2", until: }
        mute:
          - {account: "x:LakeviewPS", reason: R, until: next week}
        """,
    ) == [
        "content/curation.yaml:4:11: error: hide[0].date: "
        'expected a date such as 2011-07-27, got "21/11/2026"',
        "content/curation.yaml:6:46: error: pin[0].until: "
        "expected a date such as 2011-07-27, got nothing (null)",
        "content/curation.yaml:8:49: error: mute[0].until: "
        'expected a date such as 2011-07-27, got "next week"',
    ]


def test_a_date_that_does_not_exist_is_a_yaml_error_at_its_place(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """
        hide:
          - url: https://x.com/LakeviewPS/status/1
            reason: Wrong
            date: 2026-11-31
        """,
    ) == [
        "content/curation.yaml:4:11: error: "
        "invalid value '2026-11-31': day is out of range for month"
    ]


def test_a_missing_reason_or_date_is_an_error(tmp_path: Path, demo: Registry) -> None:
    assert problems(
        tmp_path,
        """
        hide:
          - url: https://x.com/LakeviewPS/status/1
            date: 2026-11-21
          - {url: "https://x.com/LakeviewPS/status/2", reason: Old}
        mute:
          - account: x:LakeviewPS
        """,
        demo,
    ) == [
        'content/curation.yaml:2:5: error: hide[0]: missing required key "reason"',
        'content/curation.yaml:4:5: error: hide[1]: missing required key "date"',
        'content/curation.yaml:6:5: error: mute[0]: missing required key "reason"',
    ]


def test_an_unknown_account_says_which_one_was_meant(tmp_path: Path, demo: Registry) -> None:
    assert problems(
        tmp_path,
        """
        mute:
          - account: x:LakeviewTrafic
            reason: Hijacked
          - {account: "twiter:LakeviewTraffic", reason: Hijacked}
          - {account: "x:NobodyAtAll", reason: Hijacked}
        """,
        demo,
    ) == [
        'content/curation.yaml:2:14: error: mute[0].account: no account "x:LakeviewTrafic" in '
        'sources.yaml (did you mean "x:LakeviewTraffic"?): mute an account the registry lists, '
        "as platform:handle",
        'content/curation.yaml:4:15: error: mute[1].account: "twiter" is not a platform '
        '(did you mean "twitter"?): write platform:handle, e.g. x:LakeviewTraffic',
        'content/curation.yaml:5:15: error: mute[2].account: no account "x:NobodyAtAll" in '
        "sources.yaml: mute an account the registry lists, as platform:handle",
    ]


def test_a_key_that_is_not_a_list_is_an_error(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """
        hide:
          url: https://x.com/LakeviewPS/status/1
          reason: Wrong
          date: 2026-11-21
        hold: lockdown
        approve: {url: "https://x.com/a/status/1"}
        """,
    ) == [
        "content/curation.yaml:2:3: error: hide: expected a list (a list of '- key: value' "
        "items), got a mapping",
        'content/curation.yaml:5:7: error: hold: expected a list ([a, b]), got "lockdown"',
        "content/curation.yaml:6:10: error: approve: expected a list ([a, b]), got a mapping",
    ]


def test_an_unknown_key_says_which_one_was_meant(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """
        hidden:
          - {url: "https://x.com/a/status/1", reason: R, date: 2026-11-21}
        pin:
          - {url: "https://x.com/a/status/2", untill: 2026-11-30}
        """,
    ) == [
        'content/curation.yaml:1:1: error: hidden: unknown key (did you mean "hide"?); '
        "expected one of: hide, pin, hold, approve, mute",
        'content/curation.yaml:4:5: error: pin[0]: missing required key "until"',
        'content/curation.yaml:4:39: error: pin[0].untill: unknown key (did you mean "until"?); '
        "expected one of: url, until",
    ]


def test_urls_phrases_and_the_file_itself_are_checked(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """
        hide:
          - {url: "javascript:alert(1)", reason: R, date: 2026-11-21}
          - {url: "https://x.com/a/status/1", reason: R, date: 2026-11-21}
          - {url: "https://twitter.com/a/status/1/", reason: R, date: 2026-11-21}
        pin:
          - {url: "https://www.x.com/a/status/1", until: 2026-11-30}
        hold: ["...", lockdown, lockdown]
        """,
    ) == [
        "content/curation.yaml:2:11: error: hide[0].url: expected an http:// or https:// URL, "
        'got "javascript:alert(1)"',
        "content/curation.yaml:4:11: error: hide[2].url: the same post as hide[1]: "
        "list each post once",
        "content/curation.yaml:6:11: error: pin[0].url: this post is taken down (hide[1]): "
        "remove the pin, or the hide",
        'content/curation.yaml:7:8: error: hold[0]: "..." has no word in it: write a word',
        'content/curation.yaml:7:25: error: hold[2]: "lockdown" is listed twice (also hold[1])',
    ]
    assert problems(tmp_path, "- hide\n") == [
        "content/curation.yaml:1:1: error: the file must be a mapping (hide: [...], pin: [...], "
        "hold: [...], approve: [...], mute: [...]), got a list"
    ]
    assert problems(tmp_path, "hide: [\n") == [
        "content/curation.yaml:2:1: error: YAML syntax error: did not find expected node content "
        "while parsing a flow node"
    ]


def test_a_muted_account_listed_twice_is_an_error(tmp_path: Path, demo: Registry) -> None:
    assert problems(
        tmp_path,
        """
        mute:
          - {account: "x:LakeviewPS", reason: A}
          - {account: "twitter:lakeviewps", reason: B}
        """,
        demo,
    ) == [
        "content/curation.yaml:3:15: error: mute[1].account: the same account as mute[0]: "
        "list it once"
    ]


# Addresses


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("HTTPS://WWW.Example.COM/News/1/", "https://example.com/News/1"),
        ("http://example.com/news/1", "https://example.com/news/1"),
        ("https://mobile.twitter.com/LakeviewPS/status/1", "https://x.com/LakeviewPS/status/1"),
        ("https://m.facebook.com/story/9#comments", "https://www.facebook.com/story/9"),
        ("https://example.com/watch?v=abc", "https://www.example.com/watch?v=abc"),
    ],
)
def test_trivially_different_addresses_are_the_same_post(written: str, stored: str) -> None:
    assert normalize_url(written) == normalize_url(stored)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.com/news/1", "https://example.com/news/2"),
        ("https://example.com/watch?v=abc", "https://example.com/watch?v=abd"),
        ("https://example.com/a", "https://example.org/a"),
        ("https://example.com:8443/a", "https://example.com/a"),
    ],
)
def test_other_addresses_are_other_posts(one: str, other: str) -> None:
    assert normalize_url(one) != normalize_url(other)


# The editors' schema and the demo's file


def test_the_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "content" / curation.SCHEMA_NAME).read_text(encoding="utf-8")
    assert committed == curation.schema_text(), "run: python -m hub.site.curation"


def test_the_demo_file_names_the_schema_and_passes_both_checks(demo: Registry) -> None:
    path = ROOT / "content" / curation.CURATION_NAME
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == curation.SCHEMA_LINE
    loaded = load_content(ROOT / "content", demo.site.languages, registry=demo).curation
    assert loaded.hide and loaded.mute
    # As an editor reads it: YAML 1.2 keeps dates as text.
    document = yaml.load(text, Loader=yaml.BaseLoader)
    jsonschema.Draft202012Validator(curation.json_schema()).validate(document)


def test_the_schema_refuses_what_the_checker_refuses() -> None:
    validator = jsonschema.Draft202012Validator(curation.json_schema())
    refused = [
        {"hidden": []},
        {"hide": [{"url": "https://x.com/a/status/1", "date": "2026-11-21"}]},
        {"hide": [{"url": "javascript:alert(1)", "reason": "R", "date": "2026-11-21"}]},
        {"pin": [{"url": "https://x.com/a/status/1", "until": "soon"}]},
        {"mute": [{"account": "LakeviewPS", "reason": "R"}]},
        {"hold": "lockdown"},
    ]
    for document in refused:
        assert list(validator.iter_errors(document)), document


def test_writing_the_schema(tmp_path: Path) -> None:
    curation.main([str(tmp_path)])
    assert (tmp_path / curation.SCHEMA_NAME).read_text(encoding="utf-8") == curation.schema_text()
