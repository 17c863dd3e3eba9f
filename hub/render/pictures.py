"""The images a site shows, at the sizes its theme shows them, made once and cached.

Every raster image is published re-encoded from its pixels (:mod:`hub.imaging`),
never as it came: the repository's photos, the logo and the open appeals'
photos, and the site's copies of feed images. For each size the theme gives
its kind (:mod:`hub.render.imagesizes`) the build makes a file at the displayed
size and one at twice it (never larger than the image), in each of the size's
formats; a template shows them as one ``<picture>``, with its ``srcset``s
and the ``width`` and ``height`` that reserve its space.

- Names: each file is named by a hash of what makes it (the source's bytes,
  the size, the fit, the format and :data:`hub.imaging.ENCODER`), so its
  address changes with its content and a CDN may keep it for a year.
- Cache: the files made are kept in the cache folder under that hash
  (``<cache>/images/``), so an image that has not changed is never encoded
  again; a build only looks the name up. Planning reads each repository
  image's bytes (for the hash) and header (for the size); a feed copy's name
  is already its hash, and the store kept its size.
- SVG (the repository's only, checked by :func:`hub.imaging.inspect`, with :mod:`hub.svgfiles`) is
  published as it is: a vector drawing has one file for every size.

Planning (:func:`plan`) is pure apart from reading the sources; making the
files, into the cache folder, is :mod:`hub.render.imagecache`'s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from hub import imaging, wholefiles
from hub.model import Thumbnails
from hub.problems import HubError, os_reason
from hub.render.imagesizes import Size, Sizes
from hub.site.model import SiteModel

REGISTRY_FOLDER = "media"
APPEALS_FOLDER = "appeals"
"""Not a folder of content-hashed files for the CDN: an appeal's photo must leave
its caches within minutes of the appeal's resolution (:mod:`hub.outputs.cdn`)."""
THUMBS_FOLDER = "media/thumbs"


# What templates get


@dataclass(frozen=True)
class Candidate:
    """One file of an image at one size, for a ``srcset``."""

    path: str
    """Published, without the leading slash: ``media/jasmine-tran.3f2a1b9c0d.webp``."""
    density: float
    """Its pixels per CSS pixel as shown (``2x``)."""


@dataclass(frozen=True)
class Shown:
    """An image at one size of the theme: what one ``<picture>`` element needs."""

    width: int
    """The ``<img>``'s ``width`` and ``height``: the size shown, in CSS pixels."""
    height: int
    fallback: tuple[Candidate, ...]
    """The ``<img>``'s files, 1x first (one file for an SVG)."""
    sources: tuple[tuple[str, tuple[Candidate, ...]], ...] = ()
    """``(MIME type, files)`` for each ``<source>``, offered before the ``<img>``."""
    alt: str = ""
    prefix: str = ""
    """The path the site is served under, which every address starts with."""

    @property
    def src(self) -> str:
        return f"{self.prefix}/{self.fallback[0].path}"

    @property
    def srcset(self) -> str:
        """The ``<img>``'s ``srcset``; empty when it has one file only (``src`` is enough)."""
        return self._srcset(self.fallback) if len(self.fallback) > 1 else ""

    @property
    def source_sets(self) -> list[tuple[str, str]]:
        """``(type, srcset)`` of each ``<source>`` element."""
        return [(mime, self._srcset(files)) for mime, files in self.sources]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(c.path for c in self.fallback) + tuple(
            c.path for _, files in self.sources for c in files
        )

    def _srcset(self, files: tuple[Candidate, ...]) -> str:
        if len(files) == 1:
            return f"{self.prefix}/{files[0].path}"
        return ", ".join(f"{self.prefix}/{c.path} {c.density:g}x" for c in files)

    def __str__(self) -> str:
        return self.src


@dataclass(frozen=True)
class Picture:
    """An image at every size the theme shows it: ``picture.avatar`` is one :class:`Shown`.

    Printed as text, it is the address of its first size's ``<img>`` file (1x),
    for a template that wants an address (``<link rel="icon">``).
    """

    sizes: tuple[tuple[str, Shown], ...]
    alt: str = ""
    """The feed's alt text, for a post's picture; empty means decorative."""
    prefix: str = ""

    def __getitem__(self, name: str) -> Shown:
        for size, shown in self.sizes:
            if size == name:
                return replace(shown, alt=self.alt, prefix=self.prefix)
        raise KeyError(name)

    def __getattr__(self, name: str) -> Shown:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            known = ", ".join(size for size, _ in self.sizes)
            raise AttributeError(f"no image size {name!r} (this image has: {known})") from None

    @property
    def first(self) -> Shown:
        return self[self.sizes[0][0]]

    @property
    def src(self) -> str:
        return self.first.src

    @property
    def width(self) -> int:
        return self.first.width

    @property
    def height(self) -> int:
        return self.first.height

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file it is published as, at every size."""
        return tuple(dict.fromkeys(p for _, shown in self.sizes for p in shown.paths))

    def __str__(self) -> str:
        return self.src


# How each file is made


@dataclass(frozen=True)
class Job:
    """One file to make: an image, at a size, in a format."""

    source: Path
    digest: str
    """SHA-256 of the source's bytes."""
    width: int
    height: int
    fit: imaging.Fit
    format: imaging.Format | None
    """None for an SVG, published as it is."""

    @property
    def key(self) -> str:
        """The hash of everything that makes this file what it is."""
        if self.format is None:
            return self.digest
        recipe = f"{self.digest}\0{self.width}x{self.height}\0{self.fit}\0{self.format}"
        return hashlib.sha256(f"{recipe}\0{imaging.ENCODER}".encode()).hexdigest()

    @property
    def extension(self) -> str:
        return "svg" if self.format is None else imaging.EXTENSION[self.format]


@dataclass(frozen=True)
class Source:
    """An image the site shows, before its sizes are worked out."""

    key: str
    """How templates ask for it: its path as ``sources.yaml`` or an appeal writes
    it, or the feed's image URL."""
    path: Path
    kind: str
    """Its kind in the theme's table: ``photo``, ``logo``, ``appeal`` or ``post``."""
    folder: str
    """Where it is published."""
    stem: str = ""
    """The start of its published names (the file's name), for people reading them."""
    known: tuple[str, int, int] | None = None
    """A feed copy's SHA-256 and size in pixels, which need no reading."""


@dataclass
class Gallery:
    """The pictures of a build, by key, and how to make each file they name."""

    pictures: dict[str, Picture] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    """Published path -> how it is made."""

    def without(self, failed: Iterable[Path]) -> Gallery:
        """The pictures none of whose files is made from the ``failed`` sources."""
        lost = set(failed)
        if not lost:
            return self
        gone = {path for path, job in self.jobs.items() if job.source in lost}
        return Gallery(
            {k: p for k, p in self.pictures.items() if gone.isdisjoint(p.paths)},
            {path: job for path, job in self.jobs.items() if path not in gone},
        )

    def icons(self) -> dict[str, str]:
        """Key -> the published path of its first size (no leading slash): a feed's icon."""
        return {key: picture.first.fallback[0].path for key, picture in self.pictures.items()}


def plan(sources: Iterable[Source], sizes: Sizes, onto: Gallery | None = None) -> Gallery:
    """Each source's picture at the sizes of its kind, and the files they need,
    in a new gallery (holding ``onto``'s pictures first, when given).

    A repository image that cannot be read or published is a HubError naming
    it (``hub check`` reports it at its ``photo:``; this is the build finding
    it changed since). A feed copy is not read here: its name is its hash.
    """
    gallery = Gallery(dict(onto.pictures), dict(onto.jobs)) if onto else Gallery()
    for source in sources:
        shown: dict[str, Shown] = {}
        if source.key in gallery.pictures:
            shown.update(gallery.pictures[source.key].sizes)
        for size in sizes.of(source.kind):
            shown[size.name] = _at(source, size, gallery.jobs)
        gallery.pictures[source.key] = Picture(tuple(shown.items()))
    return gallery


def _at(source: Source, size: Size, jobs: dict[str, Job]) -> Shown:
    digest, facts = _read(source)
    if facts.kind == "svg":
        job = Job(source.path, digest, facts.width, facts.height, size.fit, None)
        path = _published(source, job)
        jobs[path] = job
        width, height = imaging.display(facts.width, facts.height, size.box, size.fit)
        return Shown(width, height, (Candidate(path, 1.0),))
    made: list[tuple[str, tuple[Candidate, ...]]] = []
    for fmt in size.formats:
        files: list[Candidate] = []
        for target in imaging.targets(facts.width, facts.height, size.box, size.fit):
            job = Job(source.path, digest, target.width, target.height, size.fit, fmt)
            path = _published(source, job)
            jobs[path] = job
            files.append(Candidate(path, target.density))
        made.append((imaging.MIME[fmt], tuple(files)))
    width, height = imaging.display(facts.width, facts.height, size.box, size.fit)
    return Shown(width, height, made[-1][1], tuple(made[:-1]))


_read_cache: dict[tuple[Path, int, int], tuple[str, imaging.Facts]] = {}
"""Each repository image read once per process (by path, size and mtime)."""


def _read(source: Source) -> tuple[str, imaging.Facts]:
    if source.known is not None:
        digest, width, height = source.known
        return digest, imaging.Facts("jpg", width, height)
    try:
        stat = source.path.stat()
        marker = (source.path, stat.st_size, stat.st_mtime_ns)
        found = _read_cache.get(marker)
        if found is None:
            limit = imaging.REPOSITORY.bytes
            data = wholefiles.read(source.path, limit) if stat.st_size <= limit else b""
            facts, problem = imaging.examine(data, imaging.REPOSITORY, size=stat.st_size)
            if problem is not None or facts is None:
                raise HubError(f"{source.key} {problem}")
            found = hashlib.sha256(data).hexdigest(), facts
            _read_cache[marker] = found
    except OSError as error:
        raise HubError(f"cannot read the image {source.key}: {os_reason(error)}") from None
    return found


_HASH_LENGTH = {REGISTRY_FOLDER: 10, APPEALS_FOLDER: 12, THUMBS_FOLDER: 16}


def _published(source: Source, job: Job) -> str:
    short = job.key[: _HASH_LENGTH.get(source.folder, 16)]
    name = f"{source.stem}.{short}" if source.stem else short
    return f"{source.folder}/{name}.{job.extension}"


# The sources of a site

_UNSAFE = re.compile(r"[^a-z0-9]+")
"""What a published name leaves out of a file's name: a space or a comma would break a srcset."""


def stem(relative: str) -> str:
    """The start of an image's published names: its file's name, as a URL may carry it
    (``Chief Photo, 2026.jpg`` -> ``chief-photo-2026``)."""
    return _UNSAFE.sub("-", PurePosixPath(relative).stem.lower()).strip("-")


def registry_sources(site: SiteModel) -> Iterator[Source]:
    """The logo and the units' and officers' photos, where found."""
    reg = site.registry
    named = [("logo", reg.site.logo)]
    named += [("photo", unit.photo) for unit in reg.units]
    named += [("photo", officer.photo) for officer in reg.officers]
    for kind, relative in named:
        if relative and (reg.root / relative).is_file():
            yield Source(relative, reg.root / relative, kind, REGISTRY_FOLDER, stem(relative))


def appeal_sources(site: SiteModel) -> Iterator[Source]:
    """The open appeals' photos: a resolved appeal's is not published. No name in theirs."""
    for photo in site.appeals.photos():
        yield Source(photo.path or str(photo.source), photo.source, "appeal", APPEALS_FOLDER)


def thumb_sources(thumbnails: Thumbnails | None) -> Iterator[Source]:
    """The site's copies of feed images still in the cache, by the feed's image URL."""
    if thumbnails is None:
        return
    for url, saved in thumbnails.files.items():
        copy = thumbnails.folder / saved.file
        if copy.is_file():
            known = (PurePosixPath(saved.file).stem, saved.width, saved.height)
            yield Source(url, copy, "post", THUMBS_FOLDER, known=known)
