"""Officers' ranks in each language: the table of common Canadian ranks in French."""

from __future__ import annotations

import pytest

from hub.model import NEUTRAL, Text
from hub.registry.ranks import FRENCH, TABLE, key, rank_text

BILINGUAL = ("en", "fr")


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Sgt", "Sgt"),
        ("S/Sgt", "S.é.-m."),
        ("Staff Sergeant", "S.é.-m."),
        ("D/Sgt", "Sgt-dét."),
        ("Det", "Dét."),
        ("Insp", "Insp."),
        ("S/Insp", "Insp. é.-m."),
        ("Supt", "Surint."),
        ("C/Supt", "Surint. pr."),
        ("Deputy Chief", "Chef adj."),
        ("Chief", "Chef"),
        ("Cpl", "Cap."),
    ],
)
def test_a_plain_rank_gets_its_french_from_the_table(english: str, french: str) -> None:
    # The plain string stays for every other language: English pages show it as written.
    assert rank_text(Text.plain(english), BILINGUAL) == Text({NEUTRAL: english, "fr": french})


@pytest.mark.parametrize(
    "written", ["S/Sgt", "s/sgt", "S/Sgt.", "S / Sgt", "SSGT", "staff  sergeant"]
)
def test_case_dots_and_spaces_do_not_matter(written: str) -> None:
    assert key(written) in TABLE["fr"]
    assert rank_text(Text.plain(written), BILINGUAL).get("fr", "en") == "S.é.-m."


def test_a_rank_given_for_a_language_wins_over_the_table() -> None:
    given = Text({"en": "Chief", "fr": "Cheffe"})
    assert rank_text(given, BILINGUAL) == given


def test_a_rank_given_in_english_only_gets_its_french() -> None:
    assert rank_text(Text({"en": "Insp"}), BILINGUAL) == Text({"en": "Insp", "fr": "Insp."})


@pytest.mark.parametrize("rank", ["Cst", "PC", "Constable", "Special Constable", "Commandant"])
def test_constables_and_unknown_ranks_read_the_same_in_every_language(rank: str) -> None:
    # Agent or agente depends on the person: the registry says, the table does not guess.
    assert rank_text(Text.plain(rank), BILINGUAL) == Text.plain(rank)


def test_only_the_sites_languages_are_filled_in() -> None:
    assert rank_text(Text.plain("Sgt"), ("en",)) == Text.plain("Sgt")
    assert rank_text(Text.plain("Sgt"), ("fr", "en")) == Text({NEUTRAL: "Sgt", "fr": "Sgt"})


def test_a_rank_given_only_in_french_is_kept() -> None:
    given = Text({"fr": "Sgt é.-m."})
    assert rank_text(given, BILINGUAL) == given


def test_every_spelling_in_the_table_is_a_key_and_means_one_rank() -> None:
    spellings = [spelling for group in FRENCH for spelling in group]
    assert len(spellings) == len(set(spellings))
    assert all(key(spelling) == spelling for spelling in spellings)
