"""Reading one GTFS text file as lines, streaming, in whatever encoding it came in.

Feeds come in UTF-8 (with or without a byte-order mark) and, from some agencies, in Latin-1 or
Windows-1252. A file is read as UTF-8 until a byte sequence proves it is not; from the line holding
that sequence on it is read as Windows-1252 (bytes Windows-1252 leaves undefined keep their Latin-1
meaning), and :attr:`FeedText.encoding` says which was used. Only a chunk and one line are held at
a time, so a huge file costs no more memory than a small one, and a file that is not text at all
(NUL bytes, a line of a megabyte) is refused at the line where that shows. Lines end in ``\n``,
``\r\n`` or, in classic Mac OS exports, a lone ``\r``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import IO

from routing.core.errors import BuildError

#: Bytes read from the file at a time.
CHUNK_BYTES = 1 << 20
#: No GTFS row comes near this; a longer line means the file is not CSV text.
MAX_LINE_CHARS = 1 << 20
#: Names of the encodings :class:`FeedText` reports.
UTF8, WINDOWS_1252, LATIN_1 = "utf-8", "windows-1252", "latin-1"

_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_LATIN1_FALLBACK = "greenroute-latin1"


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    # The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as Latin-1 does.
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)


def _single_byte(data: bytes) -> str:
    return data.decode("cp1252", errors=_LATIN1_FALLBACK)


class FeedText:
    """The lines of one GTFS file (each ending in ``"\\n"`` but perhaps the last), for :func:`csv.reader`.

    Parameters
    ----------
    raw
        The file's bytes, read in chunks and never whole.
    where
        Names the file in messages, e.g. ``"feed.zip: stop_times.txt"``.

    Raises
    ------
    BuildError
        While iterating: the file holds NUL bytes, is UTF-16, or has a line longer than
        :data:`MAX_LINE_CHARS`; the message names the file and the line.
    """

    def __init__(self, raw: IO[bytes], *, where: str) -> None:
        self._raw = raw
        self.where = where
        #: Lines handed out so far (the number of the last one).
        self.line_no = 0
        #: ``"utf-8"``, or ``"windows-1252"``/``"latin-1"`` once a line was not UTF-8.
        self.encoding = UTF8
        #: Whether lines end in a lone ``"\r"`` (classic Mac OS exports), decided on the first one.
        self.cr_lines: bool | None = None

    def _refuse(self, line: int, why: str) -> BuildError:
        return BuildError(f"{self.where}, line {line}: {why}", argument="gtfs")

    def _decode(self, utf8: codecs.IncrementalDecoder, chunk: bytes, final: bool) -> str:
        if self.encoding != UTF8:
            if self.encoding == LATIN_1 and _C1_BYTES.search(chunk):
                self.encoding = WINDOWS_1252
            return _single_byte(chunk)
        try:
            return str(utf8.decode(chunk, final))
        except UnicodeDecodeError as exc:
            data = bytes(exc.object)  # the decoder's buffered bytes followed by this chunk
            # Lines before the offending one stay UTF-8 (they were); the rest is single-byte text.
            cut = data.rfind(b"\n", 0, exc.start) + 1
            rest = data[cut:]
            self.encoding = WINDOWS_1252 if _C1_BYTES.search(rest) else LATIN_1
            return data[:cut].decode(UTF8) + _single_byte(rest)

    def __iter__(self) -> Iterator[str]:
        utf8 = codecs.getincrementaldecoder(UTF8)()
        carry = ""
        chunk = self._raw.read(max(CHUNK_BYTES, len(codecs.BOM_UTF8)))
        if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise self._refuse(1, "the file is UTF-16: save it as UTF-8")
        body = chunk.removeprefix(codecs.BOM_UTF8)
        while True:
            final = not chunk
            text = carry + self._decode(utf8, body, final)
            if self.cr_lines is None and ("\n" in text or "\r" in text.rstrip("\r") or final):
                self.cr_lines = "\n" not in text and "\r" in text
            if self.cr_lines:
                text = text.replace("\r", "\n")
            nul = text.find("\x00")
            if nul >= 0:
                line = self.line_no + text.count("\n", 0, nul) + 1
                raise self._refuse(line, "the file holds NUL bytes: it is not a GTFS text file")
            lines = text.split("\n")
            carry = lines.pop()
            if len(carry) > MAX_LINE_CHARS:
                line = self.line_no + len(lines) + 1
                raise self._refuse(
                    line, f"longer than {MAX_LINE_CHARS} characters without a line break: not a GTFS text file"
                )
            for line_text in lines:
                self.line_no += 1
                yield line_text + "\n"
            if final:
                if carry:
                    self.line_no += 1
                    yield carry
                return
            chunk = body = self._raw.read(CHUNK_BYTES)
