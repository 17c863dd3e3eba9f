"""Times the demo's images: made the first time, then taken from the cache.

    python bench/images_bench.py                # print the figures
    python bench/images_bench.py --photos 24    # with 24 phones' photos added to the demo
    python bench/images_bench.py --write        # also record them in docs/performance.md

The demo site (``sources.yaml``, ``content/``, the default theme) is copied into
a temporary folder and measured as it is; with ``--photos N``, then again
with N of its officers given a phone's photo (a 4,000 x 3,000 JPEG with EXIF
and a GPS position, made with Pillow). Its
feeds are read into a new store, then ``hub.pipeline.build`` is timed twice:
a first build into an empty cache and output folder, which makes every image
(:mod:`hub.render.pictures`), and a second with ``full`` (every page rendered
again), which finds every image in the cache. The time spent on images alone
is that of making them (:func:`hub.render.imagecache.make`, on every core, as
``hub/render/pages.py`` does) on the same model, into an empty cache and then
into the full one.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from bench.fetch_bench import write_section  # noqa: E402
from bench.registry_bench import machine  # noqa: E402
from hub import parallel, pipeline  # noqa: E402
from hub.registry import load as registry  # noqa: E402
from hub.render import imagecache, imagesizes, pictures, theme  # noqa: E402
from hub.site import model as site  # noqa: E402
from hub.site.content import load_content  # noqa: E402
from hub.store.database import STORE_NAME, Store  # noqa: E402

SECTION = "bench:images"
DOC = ROOT / "docs" / "performance.md"
NOW = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)


def phone_photo(number: int) -> bytes:
    """A 12-megapixel JPEG as a phone saves it: EXIF, a GPS position, an orientation."""
    image = Image.new("RGB", (4000, 3000), (40 + number * 7 % 200, 90, 140))
    image.paste((230, 220, 200), (1200, 600, 2800, 2600))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (43.0, 39.0, float(number)), 3: "W", 4: (79.0, 23.0, 1.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def demo(folder: Path, photos: int) -> Path:
    """A copy of the demo site in ``folder``, with ``photos`` officers given a phone's photo."""
    shutil.copy(ROOT / "sources.yaml", folder / "sources.yaml")
    shutil.copytree(ROOT / "content", folder / "content")
    (folder / "themes").mkdir()
    (folder / "themes" / "default").symlink_to(ROOT / "themes" / "default")
    if photos:
        text = (folder / "sources.yaml").read_text(encoding="utf-8").split("\nofficers:\n", 1)
        officers = text[1].split("\n  - name: ")
        without = [n for n, block in enumerate(officers) if n and "\n    photo:" not in block]
        for number, index in enumerate(without[:photos], start=1):
            relative = f"content/photos/bench-{number}.jpg"
            (folder / relative).write_bytes(phone_photo(number))
            head, _, rest = officers[index].partition("\n")
            officers[index] = f"{head}\n    photo: {relative}\n{rest}"
        text[1] = "\n  - name: ".join(officers)
        (folder / "sources.yaml").write_text("\nofficers:\n".join(text), encoding="utf-8")
    return folder / "sources.yaml"


def timed(action: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - started, result


def measure(photos: int) -> str:
    """One line of figures: the demo with ``photos`` phones' photos added."""
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        reg = registry.load(demo(folder, photos)).registry
        loaded = load_content(folder / "content", reg.site.languages, registry=reg)
        cache, out = folder / "cache", folder / "public"
        pipeline.fetch(reg, cache, now=NOW)
        first, _ = timed(lambda: pipeline.build(reg, loaded, cache, out, now=NOW))
        made = sorted((cache / imagecache.CACHE_FOLDER).iterdir())
        size = sum(p.stat().st_size for p in made)
        second, _ = timed(lambda: pipeline.build(reg, loaded, cache, out, now=NOW, full=True))
        again = sorted((cache / imagecache.CACHE_FOLDER).iterdir())
        assert [p.stat().st_mtime_ns for p in again] == [p.stat().st_mtime_ns for p in made]
        # The images alone, as hub/render/pages.py makes them.
        with Store.open(cache / STORE_NAME) as store:
            entries = store.entries([f.source for f in reg.feeds()], now=NOW)
        model = site.build(reg, entries, loaded, NOW)
        sizes = imagesizes.load(theme.load(reg.root, reg.site.theme))
        sources = [*pictures.registry_sources(model), *pictures.appeal_sources(model)]
        gallery = pictures.plan(sources, sizes)
        cores = parallel.cores()
        empty = folder / "empty-cache"
        cold, cold_made = timed(lambda: imagecache.make(gallery, gallery.jobs, empty, cores))
        warm, warm_made = timed(lambda: imagecache.make(gallery, gallery.jobs, empty, cores))
    raster = sum(1 for s in sources if not s.path.name.endswith(".svg"))
    name = f"the demo with {photos} phones' photos" if photos else "the demo"
    return (
        f"{name}: {len(sources)} images ({raster} raster, {len(sources) - raster} SVG), "
        f"{cold_made.count} files made ({size / 1024:.0f} KB): made in {cold:.2f} s the "
        f"first time, {warm:.3f} s from the cache ({warm_made.count} encoded); whole build "
        f"{first:.2f} s first, {second:.2f} s again with every page rendered"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=0, help="phones' photos to add (default 0)")
    parser.add_argument("--write", action="store_true", help=f"record the figures in {DOC}")
    args = parser.parse_args(argv)
    lines = [measure(0), *([measure(args.photos)] if args.photos else [])]
    for line in lines:
        print(line)
    print(f"on {machine()}")
    if args.write:
        write(lines, argv)
        print(f"wrote {DOC}")
    return 0


def write(lines: list[str], argv: list[str] | None) -> None:
    command = " ".join(["python", "bench/images_bench.py", *(argv or sys.argv[1:])])
    figures = "".join(f"- {line}.\n" for line in lines)
    write_section(
        DOC,
        (
            f"<!-- {SECTION} -->\n"
            "## Images (`hub build`)\n\n"
            "Every image is published re-encoded at the theme's sizes, 1x and 2x, as WebP "
            "and JPEG (`hub/render/pictures.py`); each file is made once into the cache "
            "folder and taken from there by every later build. For each site below: the "
            "images made into an empty cache, then again; and the whole build, first into "
            "an empty cache and output folder, then again with every page rendered "
            "(`full`), which encodes nothing.\n\n"
            f"{figures}\n"
            f"Measured {datetime.now(UTC).date()} with `{command}` on {machine()}.\n"
            f"<!-- /{SECTION} -->\n"
        ),
    )


if __name__ == "__main__":
    sys.exit(main())
