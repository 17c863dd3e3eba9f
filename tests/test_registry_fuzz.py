"""Fuzzing the registry loader: whatever the bytes, ``hub.registry.load.loads``
returns a checked registry or raises RegistryError with usable problems, and
never any other exception.

Three kinds of input: arbitrary bytes, text stitched together from YAML tokens
and the format's own keys, and valid registries with mutations (a key dropped,
a value of the wrong type, an unknown key, two values swapped).
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.problems import RegistryError
from hub.registry import format as registry_format
from hub.registry.load import Checked, loads
from hub.registry.spec import ListOf, Nullable, Obj, Spec

VALID = Path(__file__).parent / "data" / "valid"

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def format_keys(spec: Spec, seen: set[str] | None = None) -> set[str]:
    """Every key the sources.yaml format knows, at any depth."""
    keys = set() if seen is None else seen
    if isinstance(spec, Obj):
        for key, child in spec.keys.items():
            keys.add(key)
            format_keys(child.spec, keys)
    elif isinstance(spec, ListOf):
        format_keys(spec.item, keys)
    elif isinstance(spec, Nullable):
        format_keys(spec.inner, keys)
    return keys


KEYS = sorted(format_keys(registry_format.REGISTRY))

TOKENS = [
    *(f"{key}:" for key in KEYS),
    *KEYS,
    ": ",
    ":",
    "- ",
    "-",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "\t",
    " ",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    ", ",
    "# ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "? ",
    "<<: ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!!binary ",
    "!!set ",
    "!!timestamp ",
    "!custom ",
    "! ",
    "%YAML 1.2\n",
    "x",
    "traffic",
    "LakeviewPS",
    "@lakeview@police.social",
    "twitter",
    "website",
    "unit",
    "en",
    "fr",
    "yes",
    "no",
    "~",
    "null",
    "2021-02-30",
    "2021-02-03",
    "1e400",
    "0x1F",
    "-0",
    ".nan",
    "9" * 30,
    "javascript:alert(1)",
    "https://a.example/",
    "../../etc/passwd",
    "/etc/passwd",
    "content/feeds/a.xml",
    "é",
    "\u202e",
    "\ufeff",
    "\x00",
    "\x85",
    "\\",
    "%",
    "@",
    "`",
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "themes" / "default").mkdir(parents=True)
    return folder


LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as YAML 1.1 counts them, CR and NEL included."""


def assert_usable(data: bytes, root: Path) -> None:
    """The contract of ``loads``, whatever ``data`` holds."""
    lines = len(LINE_BREAK.findall(data.decode("utf-8", "replace"))) + 1
    try:
        checked = loads(data, root / "sources.yaml")
    except RegistryError as error:
        problems = error.problems
        assert any(p.severity == "error" for p in problems)
    else:
        assert isinstance(checked, Checked)
        assert checked.registry.units
        problems = list(checked.warnings)
        assert all(p.severity == "warning" for p in problems)
    for problem in problems:
        assert 1 <= problem.line <= lines, problem
        assert problem.col >= 1, problem
        assert problem.message.strip(), problem
        assert "Traceback" not in problem.message
    assert problems == sorted(problems, key=lambda p: (p.line, p.col))


@FUZZ
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes(data: bytes, root: Path) -> None:
    assert_usable(data, root)


@FUZZ
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=120))
def test_yaml_like_text(tokens: list[str], root: Path) -> None:
    assert_usable("".join(tokens).encode("utf-8", "surrogatepass"), root)


def base_documents() -> list[Any]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(VALID.glob("*.yaml"))
    ]


BASES = base_documents()

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "no", "yes", "x", "traffic", "2021-02-03", "@a@b.example", "../x"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.lists(st.sampled_from(["a", "en", "fr", "x"]), max_size=3),
    st.dictionaries(
        st.sampled_from([*KEYS[:10], "en", "fr", "zz"]), st.text(max_size=5), max_size=3
    ),
)


def slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """(container, key or index) for every value inside ``value``."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield value, key
            yield from slots(child)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield value, index
            yield from slots(child)


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A valid registry, mutated one to four times, as YAML."""
    document = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = list(slots(document))
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["drop", "replace", "unknown", "swap", "repeat"]))
        if action == "drop":
            del container[key]
        elif action == "replace":
            container[key] = draw(JUNK)
        elif action == "unknown":
            target = container[key] if isinstance(container[key], dict) else container
            if isinstance(target, dict):
                name = draw(st.sampled_from(["acounts", "handel", "Name", "extra", "id ", ""]))
                target[name] = draw(JUNK)
        elif action == "swap":
            other, other_key = draw(st.sampled_from(places))
            container[key], other[other_key] = other[other_key], container[key]
        elif isinstance(container, list):
            container.append(copy.deepcopy(container[key]))
        if not document or not isinstance(document, dict):
            break
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


def test_bases_are_valid(root: Path) -> None:
    assert len(BASES) >= 3
    for base in BASES:
        text = yaml.safe_dump(base, allow_unicode=True, sort_keys=False).encode()
        assert loads(text, root / "sources.yaml").registry.units


@FUZZ
@given(data=mutated_documents())
def test_mutated_registries(data: bytes, root: Path) -> None:
    assert_usable(data, root)


NASTY = (
    b"\xef\xbb\xbfsite: &s\n"
    b'  name: !!python/object/apply:os.system ["echo pwned"]\n'
    b"\turl: javascript:alert(1)\n"
    b"units: [" + b"[" * 200 + b"*s" + b"]" * 200 + b"]\n"
    b"officers:\n  - {name: \x00, unit: \xff\xfe}\n"
)


@pytest.mark.parametrize(
    "data",
    [
        NASTY,
        NASTY.replace(b"\t", b"  ").replace(b"\xff\xfe", b"x").replace(b"\x00", b"y"),
        b"units: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        b"a: &a [" + b"*a, " * 10 + b"]\n",
        b"- " * 5000 + b"x\n",
    ],
    ids=["nasty", "nasty-utf8", "deep-flow", "self-alias", "deep-block"],
)
def test_nasty_input_through_the_command_line(data: bytes, root: Path) -> None:
    registry = root / "nasty.yaml"
    registry.write_bytes(data)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [sys.executable, "-m", "hub", "check", "--sources", str(registry)],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert b"Traceback" not in output, output[-2000:]
    assert result.returncode == 1, output[-2000:]
    assert f"{registry}:".encode() in result.stderr
    assert b": error: " in result.stderr
