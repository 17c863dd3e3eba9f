"""Pictures at the theme's sizes (hub.render.pictures), named by what makes them, and
their files made once into the cache (hub.render.imagecache).

Real files made with Pillow (a phone's JPEG with a GPS position in its EXIF),
the default theme's table of sizes, a real cache folder; what is made is read
back with Pillow.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hub import imaging
from hub.model import MediaFile, Thumbnails
from hub.outputs.files import Output
from hub.problems import HubError
from hub.render import imagecache, imagesizes, pictures, theme
from hub.render.pictures import Source
from tests.feeds.test_images import camera_jpeg

ROOT = Path(__file__).resolve().parents[2]
SIZES = imagesizes.read(ROOT / "themes" / "default" / "images.yaml")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 140"><rect width="9"/></svg>'


def photo_source(folder: Path, data: bytes, name: str = "Unit Photo, 2026.jpg") -> Source:
    path = folder / name
    path.write_bytes(data)
    key = f"content/photos/{name}"
    return Source(key, path, "photo", pictures.REGISTRY_FOLDER, pictures.stem(key))


def test_a_photo_is_planned_at_each_size_of_its_kind_in_each_format(tmp_path: Path) -> None:
    source = photo_source(tmp_path, camera_jpeg(1600, 1200))

    gallery = pictures.plan([source], SIZES)

    picture = gallery.pictures[source.key]
    avatar, large = picture.avatar, picture["avatar_large"]
    assert (avatar.width, avatar.height, large.width, large.height) == (56, 56, 112, 112)
    assert avatar.source_sets[0][0] == "image/webp"
    # The avatar's 2x is the large avatar's 1x: one file for both.
    assert avatar.fallback[1].path == large.fallback[0].path
    assert [c.density for c in avatar.fallback] == [1.0, 2.0]
    assert avatar.srcset == f"/{avatar.fallback[0].path} 1x, /{avatar.fallback[1].path} 2x"
    for path in picture.paths:
        # No space or comma from the file's name: they would break a srcset.
        assert path.startswith("media/unit-photo-2026.") and path.endswith((".webp", ".jpg"))
        assert path.count(".") == 2
    assert len(picture.paths) == len(gallery.jobs) == 6  # 56, 112, 224 in WebP and JPEG
    assert str(picture) == picture.src == avatar.src


def test_a_name_changes_with_whatever_makes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pictures.plan([photo_source(tmp_path, camera_jpeg(800, 600))], SIZES)
    again = pictures.plan([photo_source(tmp_path / "..", camera_jpeg(800, 600))], SIZES)
    other = pictures.plan([photo_source(tmp_path, camera_jpeg(800, 600, colour=(0, 0, 90)))], SIZES)
    monkeypatch.setattr(imaging, "ENCODER", "next")
    encoder = pictures.plan([photo_source(tmp_path, camera_jpeg(800, 600))], SIZES)

    names = set(first.jobs)
    assert set(again.jobs) == names, "the same bytes make the same names"
    assert names.isdisjoint(other.jobs), "other bytes"
    assert names.isdisjoint(encoder.jobs), "other encoder settings"
    job = next(iter(first.jobs.values()))
    keys = {
        replace(job, width=job.width + 1).key,
        replace(job, fit="contain").key,
        replace(job, format="png").key,
        job.key,
    }
    assert len(keys) == 4


def test_an_svg_is_published_as_it_is_at_every_size(tmp_path: Path) -> None:
    source = photo_source(tmp_path, SVG, "drawing.svg")
    logo = replace(source, key="logo.svg", kind="logo")

    gallery = pictures.plan([source, logo], SIZES)

    avatar = gallery.pictures[source.key].avatar
    assert avatar.sources == () and avatar.srcset == ""
    assert (avatar.width, avatar.height) == (56, 56)  # cover: the box
    assert gallery.pictures["logo.svg"].logo.width == 41  # contain: 120 x 140 in 48 x 48
    made = imagecache.make(gallery, gallery.jobs, tmp_path / "cache")
    assert made.count == 0
    output = Output()
    imagecache.publish(output, gallery, gallery.jobs, made)
    [(path, planned)] = output.items()
    assert path.startswith("media/drawing.") and path.endswith(".svg")
    assert planned.src == source.path


def test_a_feed_copy_is_planned_without_being_read(tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    name = "ab" * 32 + ".jpg"
    (folder / name).write_bytes(camera_jpeg(64, 64)[:200])  # not read while planning
    thumbs = Thumbnails(folder, {"https://img.example/a.jpg": MediaFile(name, 1600, 900)})

    gallery = pictures.plan(pictures.thumb_sources(thumbs), SIZES)

    post = gallery.pictures["https://img.example/a.jpg"].post
    assert (post.width, post.height) == (640, 360)
    assert all(path.startswith("media/thumbs/") for path in post.paths)
    # It cannot be made: the post goes without a picture, the build goes on.
    made = imagecache.make(gallery, gallery.jobs, tmp_path / "cache", strict=False)
    assert list(made.failed) == [folder / name]
    assert "cut short or damaged" in made.failed[folder / name]
    assert gallery.without(made.failed).pictures == {}
    with pytest.raises(HubError, match=f"cannot publish the image .*{name}"):
        imagecache.make(gallery, gallery.jobs, tmp_path / "cache")


def test_a_repository_image_that_became_bad_is_an_error_naming_it(tmp_path: Path) -> None:
    source = photo_source(tmp_path, b"<html>moved</html>", "gone.jpg")
    with pytest.raises(HubError, match=r"content/photos/gone\.jpg is an HTML page"):
        pictures.plan([source], SIZES)


def test_a_picture_takes_the_sites_path_and_the_posts_alt_text(tmp_path: Path) -> None:
    picture = pictures.plan([photo_source(tmp_path, camera_jpeg(400, 400))], SIZES).pictures
    [found] = picture.values()

    under = replace(found, prefix="/hub", alt="A boat")

    assert under.avatar.src == "/hub/" + found.avatar.fallback[0].path
    assert under.avatar.alt == "A boat"
    assert all(part.startswith("/hub/") for part in under.avatar.srcset.split()[::2])
    with pytest.raises(AttributeError, match=r"no image size 'banner'.*avatar, avatar_large"):
        _ = under.banner


def test_the_default_theme_has_a_size_for_every_kind() -> None:
    chain = theme.load(ROOT, "default")
    table = imagesizes.load(chain)
    assert {size.kind for size in table.sizes} == set(imagesizes.KINDS)
