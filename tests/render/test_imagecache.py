"""The pictures' files (hub.render.imagecache): made once into the cache, then looked up.

Real files made with Pillow (a phone's JPEG with a GPS position in its EXIF),
the default theme's table of sizes, a real cache folder; what is made is read
back with Pillow. Whether a file is made again is told by its inode and mtime,
and by the module's count of files encoded.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from hub.outputs.files import Output
from hub.render import imagecache, pictures
from tests.feeds.test_images import camera_jpeg, no_metadata
from tests.render.test_pictures import SIZES, SVG, photo_source


def test_files_are_made_once_into_the_cache(tmp_path: Path) -> None:
    gallery = pictures.plan([photo_source(tmp_path, camera_jpeg(1600, 1200))], SIZES)
    cache = tmp_path / "cache"
    before = imagecache.encoded

    first = imagecache.make(gallery, gallery.jobs, cache)
    made = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (cache / "images").iterdir()}
    second = imagecache.make(gallery, gallery.jobs, cache)

    assert first.count == 6 and second.count == 0
    assert imagecache.encoded == before + 6
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (cache / "images").iterdir()}
    assert after == made, "the cached files are not written again"
    output = Output()
    imagecache.publish(output, gallery, gallery.jobs, second)
    assert output.paths() == sorted(gallery.jobs)
    for path, planned in output.items():
        assert planned.src is not None and planned.src.parent == cache / "images"
        data = planned.src.read_bytes()
        no_metadata(data)
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (gallery.jobs[path].width, gallery.jobs[path].height)


def test_without_a_cache_folder_the_files_are_made_in_memory(tmp_path: Path) -> None:
    gallery = pictures.plan([photo_source(tmp_path, camera_jpeg(100, 100))], SIZES)

    made = imagecache.make(gallery, gallery.jobs, None)
    output = Output()
    imagecache.publish(output, gallery, gallery.jobs, made)

    assert sorted(made.data) == output.paths() == sorted(gallery.jobs)
    assert not (tmp_path / "images").exists()
    for _, planned in output.items():
        assert planned.data is not None
        no_metadata(planned.data)


def test_what_no_picture_names_any_more_is_deleted_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = pictures.plan([photo_source(tmp_path, camera_jpeg(300, 300), "old.jpg")], SIZES)
    new = pictures.plan([photo_source(tmp_path, camera_jpeg(200, 200), "new.jpg")], SIZES)
    imagecache.make(old, old.jobs, cache)
    imagecache.make(new, new.jobs, cache)
    (cache / "images" / ".tmp-left-by-a-stopped-build").write_bytes(b"half")

    gone = imagecache.prune(cache, [new])

    assert gone == len(old.jobs) + 1
    kept = sorted(p.name for p in (cache / "images").iterdir())
    assert kept == sorted(f"{job.key}.{job.extension}" for job in new.jobs.values())
    assert imagecache.prune(None, [new]) == 0


def test_an_svg_is_never_encoded_nor_kept_in_the_cache(tmp_path: Path) -> None:
    gallery = pictures.plan([photo_source(tmp_path, SVG, "drawing.svg")], SIZES)

    made = imagecache.make(gallery, gallery.jobs, tmp_path / "cache")

    assert made.count == 0 and not (tmp_path / "cache" / "images").exists()
