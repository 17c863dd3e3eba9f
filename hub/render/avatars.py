"""The initials and colour drawn for a profile that has no photo.

Initials have to tell profiles apart where they are listed together, so:

- little words ("of", "the", "de", "la", "l'") are skipped: "Office of the
  Chief of Police" is "OP";
- a number is kept whole with a letter: "11 Division" is "11D" and
  "52e Division" is "52D", never "1D" and "5D";
- two names of the site that would share their initials get three letters
  instead: "Marine Unit" and "Mounted Unit" become "MAU" and "MOU", "Seniors
  Community Consultative Committee" and "South Asian Community Consultative
  Committee" become "SCC" and "SAC": the first option of each that no other
  profile shows.

Every profile of the site is compared with every other (the directory lists
them all together), in each language, since a unit's name differs by
language. The colour is one of :data:`TONES` tones, picked by a stable hash
of the profile, the same in every language and every build; the theme's
stylesheet gives each tone a background dark enough for white text (WCAG AA).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

TONES = 8
"""How many background colours the theme defines: ``avatar--tone-0`` to ``-7``."""

LITTLE_WORDS = frozenset(
    {"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"}
    | {"à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur"}
)
"""Words initials skip, in English and French."""

_WORD = re.compile(r"[^\W_]+(?:[+][^\W_]*)*")
_ELIDED = re.compile("^[dlDL]['\u2019]")
"""French elision: "d'enquête", "l\u2019unité"."""
_DIGITS = re.compile(r"\d{1,3}")


class Avatar(NamedTuple):
    text: str
    """The initials: "JW", "11D", "MAU"."""
    tone: int
    """0 to ``TONES - 1``: the class ``avatar--tone-<tone>``."""


def words(name: str) -> list[str]:
    """The words of ``name`` that initials are made of."""
    found = [_WORD.findall(_ELIDED.sub("", part)) for part in name.split()]
    every = [piece[0] for piece in found if piece]
    kept = [word for word in every if word.lower() not in LITTLE_WORDS]
    return kept or every


def _mark(word: str) -> str:
    """What a word gives: its number whole, else its first letter."""
    digits = _DIGITS.match(word)
    return digits.group() if digits else word[0].upper()


def initials(name: str) -> str:
    """Two marks: the first word's and the last's ("JW", "11D"); one for a single word."""
    found = words(name)
    if not found:
        return ""
    if len(found) == 1:
        return _mark(found[0])
    return _mark(found[0]) + _mark(found[-1])


def longer(name: str) -> list[str]:
    """Three-letter initials for ``name``, the likeliest to tell it apart first."""
    found = words(name)
    if not found:
        return []
    first, last = found[0], found[-1]
    if len(found) == 1:
        options = [first[:2], first[:3]]
    else:
        options = [first[:2] + _mark(last), _mark(first) + last[:2]]
    if len(found) > 2:
        middle = [_mark(first) + _mark(word) + _mark(last) for word in found[1:-1]]
        options = [*middle, *options]
    return list(dict.fromkeys(option.upper() for option in options if len(option) > 2))


def tone(key: str) -> int:
    """A stable colour for the profile ``key`` (``unit:traffic``), the same in every build."""
    return zlib.crc32(key.encode()) % TONES


def avatars(names: Mapping[str, str]) -> dict[str, Avatar]:
    """Profile key -> its avatar, from every profile's name in one language.

    A name whose two-letter initials another name shares gets three letters,
    the first of its :func:`longer` options that no other profile shows yet.
    Where none is left, the colour and the name beside the avatar tell the
    profiles apart.
    """
    short = {key: initials(name) for key, name in names.items()}
    sharing = Counter(short.values())
    taken = {text for text, count in sharing.items() if count == 1}
    found = {}
    for key, text in short.items():
        if sharing[text] > 1:
            options = longer(names[key])
            text = next((o for o in options if o not in taken), options[0] if options else text)
            taken.add(text)
        found[key] = Avatar(text, tone(key))
    return found
