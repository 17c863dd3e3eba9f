"""A theme's table of image sizes (images.yaml): read, checked, each mistake at its place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hub.problems import HubError
from hub.render import imagesizes, theme

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
photo:
  avatar: {width: 56, height: 56, fit: cover}
logo:
  logo: {width: 48, height: 48, formats: [webp, png]}
appeal:
  appeal: {width: 128, height: 160, fit: cover}
post:
  post: {width: 640, height: 448}
"""


def table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "images.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_table_is_read_with_its_defaults(tmp_path: Path) -> None:
    sizes = imagesizes.read(table(tmp_path, GOOD))

    [avatar] = sizes.of("photo")
    [post] = sizes.of("post")
    assert (avatar.name, avatar.box, avatar.fit, avatar.formats) == (
        "avatar",
        (56, 56),
        "cover",
        ("webp", "jpeg"),
    )
    assert (post.fit, post.formats) == ("contain", ("webp", "jpeg"))
    assert sizes.of("logo")[0].formats == ("webp", "png")


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        (GOOD + "banner:\n  top: {width: 9, height: 9}\n", "9:1", 'unknown kind "banner"'),
        (
            GOOD.replace("width: 640, ", ""),
            "8:9",
            'post.post: missing "width"',
        ),
        (GOOD.replace("width: 56", "width: 0"), "2:19", "photo.avatar.width: expected a whole"),
        (GOOD.replace("width: 56", "width: 5000"), "2:19", "from 1 to 4096"),
        (GOOD.replace("fit: cover}\nlogo", "fit: fill}\nlogo"), "2:40", 'expected "cover" or'),
        (GOOD.replace("[webp, png]", "[webp, gif]"), "4:42", "logo.logo.formats: expected a list"),
        (GOOD.replace("[webp, png]", "[png, png]"), "4:42", "each once"),
        (GOOD.replace("appeal: {width", "avatar: {width"), "6:3", 'also a size of photo'),
        (GOOD.replace("post: {width", "Post: {width"), "8:3", "in lower case"),
        (GOOD.replace("post: {width", "src: {width"), "8:3", "something else to templates"),
        (GOOD.replace("post: {width", "post: {wide: 1, width"), "8:10", 'unknown key "wide"'),
        (GOOD.replace("appeal:\n  appeal: {width: 128, height: 160, fit: cover}\n", ""), "1:1",
         "no sizes for appeal"),
        (GOOD.replace("  avatar: {width: 56, height: 56, fit: cover}\n", ""), "1:7",
         "photo: expected its sizes"),
        ("photo: [a, b\n", "2:1", ""),
    ],
)  # fmt: skip
def test_a_mistake_is_an_error_at_its_line_and_column(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    path = table(tmp_path, text)
    with pytest.raises(HubError) as error:
        imagesizes.read(path)
    assert error.value.where == f"{path}:{where}"
    assert says in str(error.value)
    assert error.value.format().startswith(f"{path}:{where}: error: ")


def test_a_site_theme_table_replaces_the_default_one_whole(tmp_path: Path) -> None:
    mine = tmp_path / "themes" / "mine"
    (mine / "templates").mkdir(parents=True)
    (mine / "images.yaml").write_text(
        GOOD.replace("width: 56, height: 56", "width: 80, height: 60")
    )

    sizes = imagesizes.load(theme.load(tmp_path, "mine"))

    assert sizes.source == mine / "images.yaml"
    assert [s.name for s in sizes.sizes] == ["avatar", "logo", "appeal", "post"]
    assert sizes.of("photo")[0].box == (80, 60)


def test_without_a_site_table_the_default_themes_is_used(tmp_path: Path) -> None:
    sizes = imagesizes.load(theme.load(tmp_path, "default"))
    assert sizes.source == theme.PACKAGED / "images.yaml"
    assert {s.name for s in sizes.of("photo")} == {"avatar", "avatar_large"}
