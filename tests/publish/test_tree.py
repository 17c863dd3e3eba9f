"""Tests for hub.publish.tree and hub.publish.safety.

Output paths, the swap, kept mtimes, refusals, a full disk, and killed builds.
"""

from __future__ import annotations

import errno
import inspect
import multiprocessing
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from hub.outputs.files import MARKER, DuplicateOutputError, Output, Planned, UnsafeOutputPathError
from hub.problems import HubError
from hub.publish import tree
from hub.publish.tree import PublishReport, Stage, publish, staging

ROOT = Path(__file__).resolve().parents[2]
OLD_MTIME_NS = 1_000_000_000 * 1_000_000_000  # 2001-09-09: far from any file written today


def manifest(tree: Path) -> dict[str, bytes]:
    """Relative POSIX path -> bytes of every file under ``tree``."""
    return {
        p.relative_to(tree).as_posix(): p.read_bytes() for p in tree.rglob("*") if not p.is_dir()
    }


def site_output(files: dict[str, bytes]) -> Output:
    output = Output()
    for path, data in files.items():
        output.add(path, data, source=f"test page {path}")
    return output


def siblings(out: Path) -> list[str]:
    """Names beside ``out`` that belong to it (temporary and displaced trees)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


SITE = {
    "en/index.html": b"<h1>Connect with us</h1>",
    "fr/index.html": "<h1>Nous joindre à Montréal</h1>".encode(),
    "static/site.3f2a1b9c.css": b"body{margin:0}",
    "en/units/traffic/index.html": b"traffic",
    "404.html": b"not found",
}


# Output: what may be added


def test_add_collects_paths_and_encodes_text(tmp_path: Path) -> None:
    output = Output()
    output.add("en/index.html", "Équipe", source="page.html: home")
    output.add("a.bin", b"\x00\x01", source="raw")
    photo = tmp_path / "chief.jpg"
    photo.write_bytes(b"jpeg")
    output.add_file("photos/chief.jpg", photo, source="officer chief")

    assert len(output) == 3
    assert "en/index.html" in output
    assert "en/missing.html" not in output
    assert output.paths() == ["a.bin", "en/index.html", "photos/chief.jpg"]

    publish(output, tmp_path / "public")
    assert (tmp_path / "public/en/index.html").read_bytes() == "Équipe".encode()
    assert (tmp_path / "public/photos/chief.jpg").read_bytes() == b"jpeg"


def test_duplicate_path_names_both_sources() -> None:
    output = Output()
    output.add("en/index.html", "a", source="page.html: home")
    with pytest.raises(DuplicateOutputError) as caught:
        output.add("en/index.html", "b", source="content/pages/index.md")
    message = str(caught.value)
    assert message == (
        "two outputs write en/index.html: page.html: home and content/pages/index.md"
    )
    assert len(output) == 1


def test_paths_differing_only_in_case_are_duplicates(tmp_path: Path) -> None:
    output = Output()
    output.add("en/About.html", "a", source="first")
    with pytest.raises(DuplicateOutputError, match=r"en/About\.html and en/about\.html.*first"):
        output.add_file("en/about.html", tmp_path / "x", source="second")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("../outside.html", r"'\.\.'"),
        ("en/../../outside.html", r"'\.\.'"),
        ("en/./index.html", r"'\.'"),
        ("en//index.html", "empty segment"),
        ("en/", "empty segment"),
        ("en\\index.html", "backslash"),
        ("en/index\x00.html", "NUL"),
        ("en/index\n.html", "control character"),
        ("C:/Windows/x.html", "drive letter"),
        ("c:x.html", "drive letter"),
        (MARKER, "reserved"),
    ],
)
def test_unsafe_paths_are_refused(path: str, reason: str) -> None:
    output = Output()
    with pytest.raises(UnsafeOutputPathError, match=reason) as caught:
        output.add(path, b"x", source="template x")
    assert "template x" in str(caught.value)
    assert len(output) == 0


def test_file_and_folder_at_one_path_are_refused_both_ways() -> None:
    output = Output()
    output.add("en/units", b"file", source="first")
    with pytest.raises(UnsafeOutputPathError, match=r"en/units is already a file \(from first\)"):
        output.add("en/units/index.html", b"page", source="second")

    output = Output()
    output.add("en/units/index.html", b"page", source="first")
    with pytest.raises(UnsafeOutputPathError, match=r"also the folder of en/units/index\.html"):
        output.add("en/units", b"file", source="second")
    assert output.paths() == ["en/units/index.html"]


# publish: trees, counts, kept mtimes


@pytest.mark.parametrize("exchange", [True, False])
def test_first_publish_creates_the_tree(tmp_path: Path, exchange: bool) -> None:
    out = tmp_path / "site" / "public"  # the parent folder does not exist yet
    report = publish(site_output(SITE), out, exchange=exchange)

    assert report == PublishReport(written=5, unchanged=0, removed=0, out_dir=out)
    published = manifest(out)
    assert MARKER in published
    del published[MARKER]
    assert published == SITE
    assert siblings(out) == []


@pytest.mark.parametrize("exchange", [True, False])
def test_second_publish_rewrites_only_what_changed(tmp_path: Path, exchange: bool) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out, exchange=exchange)
    for path in [*SITE, MARKER]:
        os.utime(out / path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    before = {path: os.stat(out / path) for path in [*SITE, MARKER]}

    changed = dict(SITE)
    changed["en/index.html"] = b"<h1>Connect with us!</h1>"
    changed["en/alerts/missing-person.html"] = b"appeal"
    del changed["404.html"]
    report = publish(site_output(changed), out, exchange=exchange)

    assert (report.written, report.unchanged, report.removed) == (2, 3, 1)
    published = manifest(out)
    del published[MARKER]
    assert published == changed
    for path in ["fr/index.html", "static/site.3f2a1b9c.css", "en/units/traffic/index.html"]:
        after = os.stat(out / path)
        assert after.st_mtime_ns == OLD_MTIME_NS
        assert after.st_ino == before[path].st_ino  # hard-linked, not rewritten
    assert os.stat(out / MARKER).st_mtime_ns == OLD_MTIME_NS
    assert os.stat(out / "en/index.html").st_mtime_ns != OLD_MTIME_NS
    assert siblings(out) == []


def test_copied_files_compare_by_content(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "same.jpg").write_bytes(b"same bytes")
    (photos / "edited.jpg").write_bytes(b"before")
    out = tmp_path / "public"

    def photo_output() -> Output:
        output = Output()
        for name in ("same.jpg", "edited.jpg"):
            output.add_file(f"photos/{name}", photos / name, source=f"photo {name}")
        return output

    publish(photo_output(), out)
    for name in ("same.jpg", "edited.jpg"):
        os.utime(out / "photos" / name, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    # Same size, other bytes: the size check alone must not call it unchanged.
    (photos / "edited.jpg").write_bytes(b"after!")
    # A source file older than the published one still gets a fresh mtime when it changed.
    os.utime(photos / "edited.jpg", ns=(OLD_MTIME_NS - 10**9, OLD_MTIME_NS - 10**9))

    report = publish(photo_output(), out)

    assert (report.written, report.unchanged, report.removed) == (1, 1, 0)
    assert (out / "photos/edited.jpg").read_bytes() == b"after!"
    assert os.stat(out / "photos/same.jpg").st_mtime_ns == OLD_MTIME_NS
    assert os.stat(out / "photos/edited.jpg").st_mtime_ns > OLD_MTIME_NS


def test_missing_source_file_fails_and_keeps_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    output = site_output(SITE)
    output.add_file("photos/gone.jpg", tmp_path / "gone.jpg", source="officer chief")

    with pytest.raises(HubError, match=r"photos/gone\.jpg \(from officer chief\).*gone\.jpg"):
        publish(output, out)
    published = manifest(out)
    del published[MARKER]
    assert published == SITE
    assert siblings(out) == []


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.ENOSPC, "the disk is full (No space left on device)"),
        (errno.EFBIG, "the file is larger than this system lets a file grow (File too large)"),
    ],
)
def test_a_full_disk_stops_before_the_swap_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, said: str
) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    before = {p: p.stat().st_ino for p in out.rglob("*")}
    real = tree._write

    def fill_up(planned: Planned, dst: str) -> None:
        if dst.endswith("big.bin"):
            # As copyfile reports it: naming the source, which is not at fault.
            raise OSError(code, os.strerror(code), str(tmp_path / "video.bin"))
        real(planned, dst)

    monkeypatch.setattr(tree, "_write", fill_up)
    output = site_output({**SITE, "media/big.bin": b"x" * 100})
    with pytest.raises(HubError) as caught:
        publish(output, out)
    assert str(caught.value) == (
        f"could not publish media/big.bin (from test page media/big.bin): {said}; "
        f"{out}/ is unchanged"
    )
    assert {p: p.stat().st_ino for p in out.rglob("*")} == before
    assert siblings(out) == []


def test_modes_ignore_the_umask(tmp_path: Path) -> None:
    photo = tmp_path / "logo.png"
    photo.write_bytes(b"png")
    photo.chmod(0o600)
    output = site_output(SITE)
    output.add_file("static/logo.png", photo, source="theme")
    out = tmp_path / "public"
    previous = os.umask(0o077)
    try:
        publish(output, out)
        publish(output, out)  # the linked (unchanged) files too
    finally:
        os.umask(previous)

    for path in out.rglob("*"):
        expected = 0o755 if path.is_dir() else 0o644
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


# staging: pages written into the new tree as they are rendered


def pages_put(stage: Stage, paths: list[str], who: str = "") -> list[tuple[str, Planned]]:
    """What a render process does: write each page now, keep the record of it."""
    return [(path, stage.put(path, Planned(f"{who}{path}", data=path.encode()))) for path in paths]


def test_processes_put_pages_into_one_stage_and_finish_swaps_them_in(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output({"en/kept/index.html": b"en/kept/index.html", "gone.html": b"x"}), out)
    shares = [
        ["en/kept/index.html", "en/a/index.html", "fr/a/index.html"],
        ["en/b/index.html", "fr/b/index.html", "en/feed.xml"],
    ]
    with staging(out) as stage:
        # Forked, as the render processes are: both make folders under en/ and fr/.
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            records = list(pool.map(pages_put, [stage, stage], shares))
        output = Output()
        for path, planned in [pair for share in records for pair in share]:
            output.plan(path, planned)
        output.add("robots.txt", b"robots", source="robots")
        assert (out / "gone.html").exists()  # nothing is swapped in before finish
        report = stage.finish(output)

    expected = {path: path.encode() for share in shares for path in share}
    expected["robots.txt"] = b"robots"
    published = manifest(out)
    del published[MARKER]
    assert published == expected
    assert (report.written, report.unchanged, report.removed) == (6, 1, 1)
    assert stat.S_IMODE(os.stat(out / "fr").st_mode) == 0o755
    assert siblings(out) == []


def test_a_path_put_by_two_processes_is_refused_naming_both(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    with staging(out) as stage:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            shares = [["en/x/index.html"]] * 2
            records = list(pool.map(pages_put, [stage, stage], shares, ["one ", "two "]))
        output = Output()
        output.plan(*records[0][0])
        with pytest.raises(DuplicateOutputError) as caught:
            output.plan(*records[1][0])
    message = "two outputs write en/x/index.html: one en/x/index.html and two en/x/index.html"
    assert str(caught.value) == message
    assert manifest(out) == {**SITE, MARKER: manifest(out)[MARKER]}
    assert siblings(out) == []


def test_an_unsafe_path_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "site" / "public"
    with staging(out) as stage, pytest.raises(UnsafeOutputPathError, match="leave the output"):
        stage.put("../escaped.html", Planned("a hostile slug", data=b"x"))
    assert not (tmp_path / "site" / "escaped.html").exists()
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == []


def test_a_stage_left_unfinished_is_removed_and_the_site_kept(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    with pytest.raises(RuntimeError), staging(out) as stage:
        stage.put("en/half/index.html", Planned("a page", data=b"half"))
        raise RuntimeError("a template failed halfway")
    published = manifest(out)
    del published[MARKER]
    assert published == SITE
    assert siblings(out) == []


# publish: folders it refuses


def test_refuses_the_filesystem_root() -> None:
    with pytest.raises(HubError, match=r"^refusing to publish into /: choose an output folder"):
        publish(site_output(SITE), Path("/"))


def test_refuses_the_current_folder_and_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "sources.yaml").write_text("site: {}\n")
    monkeypatch.chdir(project)
    for out in (Path("."), Path("..")):
        with pytest.raises(HubError, match="would delete the current folder"):
            publish(site_output(SITE), out)
    assert (project / "sources.yaml").read_text() == "site: {}\n"


def test_refuses_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(HubError, match="would delete your home folder"):
        publish(site_output(SITE), home)
    assert list(home.iterdir()) == []


def test_refuses_a_folder_holding_protected_paths(tmp_path: Path) -> None:
    registry = tmp_path / "site" / "sources.yaml"
    registry.parent.mkdir()
    registry.write_text("units: []\n")
    (registry.parent / MARKER).write_text("")  # even a marked folder
    with pytest.raises(HubError, match=r"would delete .*sources\.yaml"):
        publish(site_output(SITE), registry.parent, protect=[registry])
    assert registry.read_text() == "units: []\n"


def test_refuses_to_publish_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    with pytest.raises(HubError, match="nothing to publish"):
        publish(Output(), out)
    assert (out / "en/index.html").read_bytes() == SITE["en/index.html"]


def test_refuses_a_file(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.write_text("mine")
    with pytest.raises(HubError, match="not a folder"):
        publish(site_output(SITE), out)
    assert out.read_text() == "mine"


def test_refuses_to_replace_an_unmarked_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("my notes")
    with pytest.raises(HubError, match=r"refusing to replace .*docs.*--out"):
        publish(site_output(SITE), docs)
    assert manifest(docs) == {"guide.md": b"my notes"}
    assert siblings(docs) == []


def test_replaces_an_empty_unmarked_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    report = publish(site_output(SITE), out)
    assert report.written == len(SITE)
    assert (out / MARKER).is_file()


def test_follows_a_symlinked_output_folder(tmp_path: Path) -> None:
    real = tmp_path / "www" / "site"
    publish(site_output(SITE), real)
    link = tmp_path / "public"
    link.symlink_to(real)

    publish(site_output({"index.html": b"new"}), link)

    assert link.is_symlink()
    assert manifest(real) == {"index.html": b"new", MARKER: (real / MARKER).read_bytes()}


# publish: interrupted builds


def test_restores_a_site_displaced_by_a_killed_fallback_swap(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out, exchange=False)
    inode = os.stat(out / "en/index.html").st_ino
    # The state a kill between the two renames leaves: the site moved aside, a whole new
    # tree staged, nothing at out.
    out.rename(tmp_path / ".public.old-123")
    staged = tmp_path / ".public.new-123"
    staged.mkdir()
    (staged / "half.html").write_bytes(b"half")
    (tmp_path / ".public.trash-77").mkdir()

    report = publish(site_output(SITE), out, exchange=False)

    assert (report.written, report.unchanged, report.removed) == (0, len(SITE), 0)
    assert os.stat(out / "en/index.html").st_ino == inode  # the restored tree, linked
    assert siblings(out) == []


@pytest.mark.parametrize("exchange", [True, False])
def test_a_publish_that_does_not_wait_leaves_the_old_tree_going(
    tmp_path: Path, exchange: bool
) -> None:
    out = tmp_path / "public"
    many = {f"p/{i}/index.html": b"old %d" % i for i in range(3000)}
    publish(site_output(many), out, exchange=exchange)
    # Publishes one after the other, none waiting: each deletes its old tree in a
    # process of its own, and none takes another's tree, or its own new one, for it.
    for round_ in range(3):
        with staging(out, wait=False) as stage:
            stage.finish(site_output({**SITE, "round.txt": b"%d" % round_}), exchange=exchange)
        assert (out / "round.txt").read_bytes() == b"%d" % round_
    tree.settle()
    assert siblings(out) == []
    found = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert found == {*SITE, "round.txt", MARKER}


def test_where_no_process_can_be_started_the_old_tree_is_deleted_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with staging(out, wait=False) as stage:
        stage.finish(site_output({**SITE, "new.txt": b"new"}))
    assert siblings(out) == []  # nothing left going: deleted before the block ended
    assert (out / "new.txt").read_bytes() == b"new"


def test_publish_removes_leftovers_of_killed_builds(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish(site_output(SITE), out)
    for name in (".public.new-41", ".public.old-42", ".public.trash-43"):
        (tmp_path / name / "en").mkdir(parents=True)
        (tmp_path / name / "en" / "index.html").write_bytes(b"stale")
    (tmp_path / ".public.notes").write_text("not ours")

    report = publish(site_output(SITE), out)

    assert report.unchanged == len(SITE)
    assert (out / "en/index.html").read_bytes() == SITE["en/index.html"]
    assert siblings(out) == [".public.notes"]


def site_files(label: str, count: int) -> dict[str, bytes]:
    """Site A or B: ``count`` small pages, most at paths both have, one in ten identical."""
    files = {}
    for i in range(count):
        shared = i < count * 3 // 4
        name = f"p/{i // 100}/{i}.html" if shared else f"{label.lower()}/{i}.html"
        body = "same" if i % 10 == 0 else label
        files[name] = f"{body} {i}\n".encode() * (i % 5 + 1)
    return files


# Publishes the first site, then the second, and so on, saying so after each publish.
CHILD = inspect.getsource(site_files) + textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from hub.outputs.files import Output
    from hub.publish.tree import publish

    first, second, photos, out, exchange, count, rounds = sys.argv[1:]

    def load(label):
        output = Output()
        for path, data in site_files(label, int(count)).items():
            output.add(path, data, source=path)
        for photo in sorted(Path(photos, label).iterdir()):
            output.add_file(f"photos/{photo.name}", photo, source=str(photo))
        return output

    outputs = [load(first), load(second)]
    print("ready", flush=True)
    for n in range(int(rounds)):
        publish(outputs[n % 2], Path(out), exchange=exchange == "1")
        print("published", flush=True)
    """
)


def expected_sites(photos: Path, count: int) -> dict[str, dict[str, bytes]]:
    """Write the photos both sites copy; each site's files as the child publishes them."""
    sites = {}
    for label in ("A", "B"):
        files = site_files(label, count)
        (photos / label).mkdir(parents=True)
        for i in range(20):
            data = f"photo {i} {label if i % 2 else ''}".encode() * 50
            (photos / label / f"{i}.jpg").write_bytes(data)
            files[f"photos/{i}.jpg"] = data
        sites[label] = files
    return sites


def child(
    sites: str, photos: Path, out: Path, exchange: bool, count: int, rounds: int
) -> subprocess.Popen[str]:
    """A build publishing ``sites`` (e.g. "BA": B, then A, then B...) ``rounds`` times."""
    arguments = [*sites, str(photos), str(out), str(int(exchange)), str(count), str(rounds)]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *arguments],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(("exchange", "count", "kills"), [(True, 2000, 15), (False, 1000, 10)])
def test_a_killed_build_leaves_one_whole_site(
    tmp_path: Path, exchange: bool, count: int, kills: int
) -> None:
    photos = tmp_path / "photos"
    expected = expected_sites(photos, count)
    out = tmp_path / "public"
    rng = random.Random(20240521 + exchange)

    def current() -> str:
        tree = out
        if not out.exists():
            # Only the fallback swap has a moment with no site at out; the next
            # publish restores the displaced one, which must then be whole.
            assert not exchange
            displaced = [tmp_path / n for n in siblings(out) if ".old-" in n]
            assert len(displaced) == 1
            tree = displaced[0]
        found = manifest(tree)
        assert MARKER in found
        del found[MARKER]
        for label, site in expected.items():
            if found == site:
                return label
        pytest.fail(f"{tree} is neither site A nor site B after a kill")

    # A build left alone publishes A, then B over it: how long replacing a site takes
    # spreads some kills over a whole publish.
    process = child("AB", photos, out, exchange, count, rounds=2)
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"
    assert process.stdout.readline() == "published\n"
    started = time.monotonic()
    assert process.stdout.readline() == "published\n"
    one_publish = time.monotonic() - started
    assert process.wait(timeout=60) == 0
    process.stdout.close()
    state = current()
    assert state == "B"

    for round_ in range(kills):
        # The other site first, so that a publish that completes changes the site.
        order = "BA" if state == "A" else "AB"
        process = child(order, photos, out, exchange, count, rounds=1000)
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == "ready\n"
            if round_ % 3 == 0:
                time.sleep(one_publish * rng.uniform(0.0, 1.2))
            else:
                # The swap takes a few milliseconds of a publish; aim the other kills at
                # it. The marker is the last file staged, so once it shows, the swap and
                # the deletion of the old tree are moments away.
                staged_marker = tmp_path / f".public.new-{process.pid}" / MARKER
                deadline = time.monotonic() + 3 * one_publish + 5
                while not staged_marker.exists() and time.monotonic() < deadline:
                    time.sleep(0.0005)
                time.sleep(rng.uniform(0.0, 0.01) if round_ % 3 == 1 else rng.uniform(0.01, 0.05))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
        state = current()  # fails unless the site is exactly A or exactly B

    # One more publish clears whatever the kills left beside the site.
    publish(site_output(expected["A"]), out, exchange=exchange)
    assert current() == "A"
    assert siblings(out) == []


def test_concurrent_builds_take_turns(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    expected = expected_sites(photos, 300)
    out = tmp_path / "public"
    processes = [
        child("AB", photos, out, exchange=True, count=300, rounds=6),
        child("BA", photos, out, exchange=True, count=300, rounds=6),
    ]
    outputs = [p.communicate(timeout=60)[0] for p in processes]

    # Unserialized, one build would delete the other's half-written tree as a leftover.
    assert [p.returncode for p in processes] == [0, 0], outputs
    found = manifest(out)
    del found[MARKER]
    assert found in (expected["A"], expected["B"])
    assert siblings(out) == []
