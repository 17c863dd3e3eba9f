"""Officers' ranks in each of the site's languages, so a registry need not spell them out.

``rank: Sgt`` gives "Sgt" on English pages and, from the table below, the
French abbreviation on French pages. A rank the registry gives for a language
(``rank: {en: Chief, fr: Cheffe}``) always wins; a rank the table does not
know reads the same in every language.

The table follows Canadian usage: the French abbreviations of the RCMP and
of Canadian police services, which serve a woman and a man alike (``Sgt``
is *sergent* or *sergente*). Constables are left out: *agent* or *agente*
depends on the person, so a registry that wants the French word gives it
(``rank: {en: Cst, fr: Agente}``). docs/sources.md prints the table.
"""

from __future__ import annotations

from collections.abc import Mapping

from hub.model import NEUTRAL, Text

FRENCH: Mapping[tuple[str, ...], str] = {
    ("sgt", "sergeant"): "Sgt",
    ("s/sgt", "ssgt", "staff sgt", "staff sergeant"): "S.é.-m.",
    ("d/sgt", "det sgt", "detective sergeant"): "Sgt-dét.",
    ("det", "detective"): "Dét.",
    ("cpl", "corporal"): "Cap.",
    ("insp", "inspector"): "Insp.",
    ("s/insp", "staff insp", "staff inspector"): "Insp. é.-m.",
    ("supt", "superintendent"): "Surint.",
    ("c/supt", "chief supt", "chief superintendent"): "Surint. pr.",
    ("d/chief", "dep chief", "deputy chief", "deputy chief of police"): "Chef adj.",
    ("chief", "chief of police"): "Chef",
    ("a/comm", "asst commr", "assistant commissioner"): "Comm. adj.",
    ("d/comm", "deputy commr", "deputy commissioner"): "S.-comm.",
    ("commr", "commissioner"): "Comm.",
}
"""English ranks, as a registry may write them, and the French one each becomes."""

TABLE: Mapping[str, Mapping[str, str]] = {
    "fr": {spelling: french for spellings, french in FRENCH.items() for spelling in spellings}
}
"""Language -> the rank in that language, by the English rank's :func:`key`."""


def key(rank: str) -> str:
    """How the table looks a rank up: lowercase, without dots, one space between words."""
    return " ".join(rank.replace(".", " ").lower().split()).replace(" /", "/").replace("/ ", "/")


def rank_text(given: Text, languages: tuple[str, ...]) -> Text:
    """The rank in each of the site's ``languages`` the registry or the table knows.

    The table translates the English rank: the one given for ``en``, else the
    plain string. Languages the table does not know keep what was given.
    """
    english = given.values.get("en", given.values.get(NEUTRAL))
    if english is None:
        return given
    found = {
        lang: TABLE[lang][key(english)]
        for lang in languages
        if lang not in given.values and lang in TABLE and key(english) in TABLE[lang]
    }
    return Text({**given.values, **found}) if found else given
