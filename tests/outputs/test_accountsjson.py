"""accounts.json: every current and former account, in the published format.

The demo's file is checked against the format's JSON Schema
(hub/outputs/accounts.schema.json), which is itself checked as a schema.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hub.model import profile_name
from hub.outputs import accountsjson
from hub.registry import load
from hub.render.pages import urls_for
from hub.site import model
from hub.site.content import load_content

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def demo_model(now: datetime = NOW) -> model.SiteModel:
    reg = load.load(ROOT / "sources.yaml").registry
    content = load_content(reg.root / "content", reg.site.languages, display_root=reg.root)
    return model.directory(reg, content, now)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    site = demo_model()
    path, data, _ = accountsjson.accounts_file(site, urls_for(site))
    assert path == "accounts.json"
    parsed: dict[str, Any] = json.loads(data)
    return parsed


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(accountsjson.SCHEMA_PATH.read_text("utf-8"))
    return loaded


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_the_demos_file_matches_the_schema(document: dict[str, Any]) -> None:
    errors = sorted(Draft202012Validator(schema()).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert document["format"] == accountsjson.FORMAT


def test_the_schema_refuses_what_the_format_does_not_allow(document: dict[str, Any]) -> None:
    validator = Draft202012Validator(schema())
    broken = json.loads(json.dumps(document))
    broken["accounts"][0]["status"] = "retired"
    del broken["accounts"][1]["keys"]
    broken["format"] = 2
    assert len(list(validator.iter_errors(broken))) == 3


def test_every_account_of_the_registry_is_listed_once(document: dict[str, Any]) -> None:
    reg = load.load(ROOT / "sources.yaml").registry
    listed = [(a["platform"], a["url"]) for a in document["accounts"]]
    assert listed == [(a.platform, a.url) for a in reg.accounts()]


def test_an_officer_who_left_makes_their_accounts_former(document: dict[str, Any]) -> None:
    former = [a for a in document["accounts"] if a["status"] == "former"]
    assert former, "the demo has an officer who left"
    for account in former:
        assert account["owner"]["type"] == "officer"
        assert date.fromisoformat(account["until"]) < NOW.date()
    pettigrew = next(a for a in former if a["handle"] == "SSgtPettigrew")
    officer = demo_model().officers["douglas-pettigrew"]
    assert pettigrew["owner"] | {"page": None} == {
        "type": "officer",
        "id": "douglas-pettigrew",
        "kind": "officer",
        # The rank as each language writes it.
        "name": {lang: profile_name(officer, lang, "en") for lang in ("en", "fr")},
        "page": None,
    }
    assert pettigrew["owner"]["name"]["en"] == "S/Sgt Douglas Pettigrew"
    assert (pettigrew["since"], pettigrew["until"]) == ("1991-05-06", "2025-06-30")
    # The day before they left, the same account was official.
    site = demo_model(datetime(2025, 6, 29, 12, tzinfo=UTC))
    before = accountsjson.document(site, urls_for(site))
    again = next(a for a in before["accounts"] if a["handle"] == "SSgtPettigrew")
    assert again["status"] == "official" and again["until"] == "2025-06-30"


def test_a_unit_is_named_in_every_language_with_its_kind_and_pages(
    document: dict[str, Any],
) -> None:
    first = document["accounts"][0]
    assert first["owner"] == {
        "type": "unit",
        "id": "corporate-communications",
        "kind": "office",
        "name": {"en": "Corporate Communications", "fr": "Communications corporatives"},
        "page": {
            "en": "https://connect.lakeview.example/en/units/corporate-communications/",
            "fr": "https://connect.lakeview.example/fr/unites/corporate-communications/",
        },
    }
    assert document["service"]["verify"] == {
        "en": "https://connect.lakeview.example/en/verify/",
        "fr": "https://connect.lakeview.example/fr/verifier/",
    }


def test_the_same_registry_makes_the_same_bytes() -> None:
    one, two = demo_model(), demo_model()
    assert accountsjson.accounts_file(one, urls_for(one)) == accountsjson.accounts_file(
        two, urls_for(two)
    )
