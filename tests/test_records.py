"""hub.records: frozen dataclasses with a quicker __init__, otherwise the same."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime

import pytest

from hub.model import Entry
from hub.records import record


@record
class Point:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass(frozen=True)
class Reference:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, 2), {}), ((1,), {"label": "a"}), ((), {"y": 3, "x": 4}), ((1, 2, "b"), {})],
)
def test_a_record_is_made_as_its_dataclass_is(args: tuple[int, ...], kwargs: dict) -> None:
    made, reference = Point(*args, **kwargs), Reference(*args, **kwargs)
    assert dataclasses.asdict(made) == dataclasses.asdict(reference)
    assert repr(made) == repr(reference).replace("Reference", "Point")
    assert hash(made) == hash(reference)


def test_a_record_refuses_what_its_dataclass_refuses() -> None:
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, "a", 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]


def test_a_record_compares_replaces_and_pickles_as_a_dataclass() -> None:
    point = Point(1, 2, "a")
    assert point == Point(1, 2, "b")  # label is not compared
    assert point != Point(1, 3)
    assert dataclasses.replace(point, y=5) == Point(1, 5)
    assert pickle.loads(pickle.dumps(point)) == point
    assert {point: 1}[Point(1, 2)] == 1


def test_an_entry_is_a_record() -> None:
    when = datetime(2026, 11, 20, tzinfo=UTC)
    entry = Entry("feed", "id", "title", published=when, texts=("text", "words"))
    assert entry.published == when and entry.texts == ("text", "words")
    assert entry == Entry("feed", "id", "title", published=when)  # texts are not compared
    assert type(entry).__init__.__qualname__ == "Entry.__init__"


@pytest.mark.parametrize(
    "field",
    [
        dataclasses.field(default_factory=list),
        dataclasses.field(default=0, init=False),
        dataclasses.field(default=0, kw_only=True),
    ],
)
def test_a_record_field_must_be_plain(field: dataclasses.Field) -> None:
    with pytest.raises(TypeError, match="plain"):

        @record
        class Bad:
            x: int = field  # type: ignore[assignment]


def test_a_record_has_no_post_init() -> None:
    with pytest.raises(TypeError, match="__post_init__"):

        @record
        class Bad:
            x: int

            def __post_init__(self) -> None:
                pass
