"""Reading a feed's body, from the network or a file, never past the size cap.

The cap applies to the decoded body, and decoding happens here in bounded
steps, so a gzip bomb is stopped after ``limit`` bytes of output rather than
after one huge inflated chunk.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx

from hub import wholefiles
from hub.feeds.result import FetchError


class TooLarge(FetchError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {_size(limit)}")


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The decoded body of a streamed response, or TooLarge past ``limit`` bytes."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise TooLarge(limit)
    decoder = Decoder(response.headers.get("content-encoding", ""))
    parts: list[bytes] = []
    total = 0
    try:
        async for chunk in response.aiter_raw():
            for part in decoder.decode(chunk, limit - total):
                total += len(part)
                parts.append(part)
        for part in decoder.flush(limit - total):
            parts.append(part)
    except TooLarge:
        # The decoder knows only the room left; the user wants the limit.
        raise TooLarge(limit) from None
    return b"".join(parts)


class Decoder:
    """Undoes gzip or deflate without ever producing more than the caller has room for.

    httpx inflates each network chunk in one go, so a 64 KiB chunk of a bomb
    becomes ~64 MiB in memory before any cap can look at it.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"unsupported Content-Encoding {content_encoding!r}")
        self.coding = codings[0] if codings else None
        # 32 + MAX_WBITS reads a gzip or a zlib header, whichever is there.
        self._inflate = zlib.decompressobj(32 + zlib.MAX_WBITS) if self.coding else None
        self._started = False

    def decode(self, data: bytes, room: int) -> Iterator[bytes]:
        if self._inflate is None:
            if len(data) > room:
                raise TooLarge(room)
            yield data
            return
        try:
            out = self._inflate.decompress(data, room + 1)
        except zlib.error:
            if self._started or self.coding != "deflate":
                raise
            # Some servers send raw deflate without the zlib header.
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflate.decompress(data, room + 1)
        self._started = True
        if len(out) > room:
            raise TooLarge(room)
        yield out

    def flush(self, room: int) -> Iterator[bytes]:
        if self._inflate is not None:
            yield from self.decode(b"", room)


def read_file(path: Path, limit: int) -> bytes:
    """A local feed file's bytes, or TooLarge past ``limit`` bytes."""
    try:
        body = wholefiles.read(path, limit)
    except FileNotFoundError:
        raise FetchError(f"file not found: {path}") from None
    except OSError as error:
        raise FetchError(f"cannot read {path}: {error.strerror}") from None
    if len(body) > limit:
        raise TooLarge(limit)
    return body


def _size(count: int) -> str:
    """A byte count as the user reads it: "1 MiB", "512 KiB", "1000 bytes"."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"
