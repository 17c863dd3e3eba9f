"""The published JSON Schema (hub/registry/sources.schema.json) and the validator agree.

Editors check sources.yaml against the schema as it is typed; ``hub check``
checks it with the validator. A registry the schema accepts may still break a
rule the schema cannot express (an unknown unit id, a cycle), but a registry
the schema refuses must be refused by the validator too, and every valid
registry must pass both.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings

from hub.problems import RegistryError
from hub.registry import format as registry_format
from hub.registry.load import loads
from tests.registry.test_load import BrokenCase, broken_cases, make_root
from tests.test_registry_fuzz import mutated_documents

REPO = Path(__file__).resolve().parents[2]
VALID = Path(__file__).parents[1] / "data" / "valid"
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class EditorLoader(yaml.SafeLoader):
    """YAML read as JSON Schema sees it: dates stay text, as in YAML 1.2 editors."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def editor_view(path: Path) -> Any:
    return yaml.load(path.read_bytes(), Loader=EditorLoader)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = registry_format.json_schema()
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator: jsonschema.Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_committed_schema_is_up_to_date() -> None:
    committed = registry_format.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == registry_format.schema_text(), (
        "hub/registry/sources.schema.json is stale: run python -m hub.registry.format"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = registry_format.json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_knows_every_key() -> None:
    schema = registry_format.json_schema()
    assert schema["required"] == ["site", "units"]
    assert schema["additionalProperties"] is False
    units = schema["properties"]["units"]
    assert units["minItems"] == 1
    assert set(units["items"]["required"]) == {"id", "name", "kind"}


VALID_EXAMPLES = [*sorted(VALID.glob("*.yaml")), REPO / "sources.yaml"]


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_valid_examples_pass_both(
    path: Path, tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    if path.parent == VALID:
        # Loaded from a folder with the default theme, like a real site.
        registry = make_root(tmp_path) / path.name
        shutil.copyfile(path, registry)
    else:
        registry = path  # the demo, in place, next to its themes/ and content/
    checked = loads(registry.read_bytes(), registry)
    assert checked.registry.units
    assert schema_errors(validator, editor_view(path)) == []


SCHEMA_CASES = [case for case in broken_cases() if case.schema == "invalid"]


def test_enough_cases_check_the_schema() -> None:
    assert len(SCHEMA_CASES) >= 20


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=lambda c: c.id)
def test_invalid_cases_fail_both(
    case: BrokenCase, tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    registry = make_root(tmp_path) / case.path.name
    shutil.copyfile(case.path, registry)
    with pytest.raises(RegistryError) as error:
        loads(registry.read_bytes(), registry)
    assert any(p.severity == "error" for p in error.value.problems)
    assert schema_errors(validator, editor_view(case.path)), (
        f"{case.path.name}: the schema accepts it ({case.description})"
    )


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"site": {}, "units": []}, "empty units"),
        ({"units": [{"id": "a", "name": "A", "kind": "unit"}]}, "no site"),
        ([], "a list"),
    ],
)
def test_schema_refuses_the_obvious(
    document: Any, reason: str, validator: jsonschema.Draft202012Validator
) -> None:
    assert schema_errors(validator, document), reason


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("agree"))


@settings(max_examples=60, deadline=None)
@given(data=mutated_documents())
def test_what_the_schema_refuses_the_validator_refuses(
    data: bytes, site_root: Path, validator: jsonschema.Draft202012Validator
) -> None:
    errors = schema_errors(validator, yaml.load(data, Loader=EditorLoader))
    if not errors:
        return
    with pytest.raises(RegistryError) as error:
        loads(data, site_root / "sources.yaml")
    assert any(p.severity == "error" for p in error.value.problems), errors
