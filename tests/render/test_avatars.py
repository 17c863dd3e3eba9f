"""hub.render.avatars: initials that tell profiles apart, on a tone dark enough for white text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.registry import load as registry
from hub.render.avatars import TONES, Avatar, avatars, initials, longer, tone, words

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = ROOT / "themes" / "default" / "static" / "site.css"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jack West", "JW"),
        ("Sophie Lachance-Nguyen", "SL"),
        ("Étienne Bourdages-Roy", "ÉB"),
        ("Office of the Chief of Police", "OP"),
        ("Bureau de la cheffe de police", "BP"),
        ("Services d'enquête", "SE"),
        ("Services d\u2019enquête", "SE"),
        ("11 Division", "11D"),
        ("52e Division", "52D"),
        ("Division 7", "D7"),
        ("2SLGBTQ+ Community Consultative Committee", "2C"),
        ("Recruiting", "R"),
        ("The", "T"),
        ("", ""),
    ],
)
def test_initials_skip_little_words_and_keep_numbers_whole(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_divisions_are_not_told_apart_by_their_first_digit_alone() -> None:
    found = avatars({f"unit:d{n}": f"{n} Division" for n in (11, 12, 22, 31, 52)})
    assert [a.text for a in found.values()] == ["11D", "12D", "22D", "31D", "52D"]


def test_two_names_that_share_initials_get_three_letters_each() -> None:
    found = avatars(
        {
            "unit:marine": "Marine Unit",
            "unit:mounted": "Mounted Unit",
            "unit:traffic": "Traffic Services",
            "unit:seniors": "Seniors Community Consultative Committee",
            "unit:south-asian": "South Asian Community Consultative Committee",
        }
    )
    texts = {key: avatar.text for key, avatar in found.items()}
    assert texts == {
        "unit:marine": "MAU",
        "unit:mounted": "MOU",
        "unit:traffic": "TS",  # shares its initials with no one: two letters
        "unit:seniors": "SCC",
        "unit:south-asian": "SAC",
    }


def test_when_the_first_option_is_taken_the_next_one_is_used() -> None:
    # "MAA" for both at first: the second takes its next option.
    found = avatars({"officer:a": "Maureen Ashdown", "officer:b": "Marcus Adjei"})
    assert [a.text for a in found.values()] == ["MAA", "MAD"]
    assert longer("Marcus Adjei") == ["MAA", "MAD"]


def test_the_same_name_twice_still_gets_two_avatars() -> None:
    found = avatars({"officer:john-smith": "John Smith", "officer:john-smith-2": "John Smith"})
    assert len({a.text for a in found.values()}) == 2


def test_every_demo_profile_has_initials_of_its_own_in_each_language() -> None:
    reg = registry.load(ROOT / "sources.yaml").registry
    for lang in reg.site.languages:
        names = {f"unit:{u.id}": u.name.get(lang, "en") for u in reg.units}
        names.update((f"officer:{o.id}", o.name) for o in reg.officers)
        texts = [a.text for a in avatars(names).values()]
        shared = sorted({t for t in texts if texts.count(t) > 1})
        assert not shared, f"{lang}: initials shown by two profiles: {shared}"
        assert all(1 <= len(t) <= 3 for t in texts), texts


def test_the_tone_is_stable_and_the_same_in_every_language() -> None:
    assert tone("unit:traffic") == tone("unit:traffic")
    assert {tone(f"officer:{n}") for n in range(200)} == set(range(TONES))
    en = avatars({"unit:marine": "Marine Unit"})["unit:marine"]
    fr = avatars({"unit:marine": "Unité maritime"})["unit:marine"]
    assert en.tone == fr.tone and en != fr
    assert isinstance(en, Avatar)


def test_words_drop_elided_articles_but_keep_a_name_of_little_words() -> None:
    assert words("Unité d\u2019intervention de l\u2019est") == ["Unité", "intervention", "est"]
    assert words("The And") == ["The", "And"]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_tone_has_white_text_at_wcag_aa_contrast() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    tones = dict(re.findall(r"\.avatar--tone-(\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert sorted(map(int, tones)) == list(range(TONES))
    for number, colour in tones.items():
        ratio = (1.0 + 0.05) / (_luminance(colour) + 0.05)
        assert ratio >= 4.5, f"avatar--tone-{number} ({colour}): {ratio:.2f}:1 behind white"
