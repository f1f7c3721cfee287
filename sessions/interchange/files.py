"""Reading a file from outside safely: a size cap, no pipes or devices, UTF-8 text only.

Every reader of a text format starts here, so an uploaded file and a path on the command line
are refused for the same reasons, with a :class:`~.document.SourceError` that says why.
"""

import codecs
import os
import stat

from .document import START, Origin, SourceError

MAX_BYTES = 5 * 1024 * 1024
# What a post saved in the wrong format, or a file picked by mistake, starts with (UTF-32 before
# UTF-16: its little-endian mark begins with UTF-16's).
NOT_UTF8_SIGNATURES = (
    (codecs.BOM_UTF32_LE, "is UTF-32 text: save it as UTF-8"),
    (codecs.BOM_UTF32_BE, "is UTF-32 text: save it as UTF-8"),
    (codecs.BOM_UTF16_LE, "is UTF-16 text: save it as UTF-8"),
    (codecs.BOM_UTF16_BE, "is UTF-16 text: save it as UTF-8"),
    (b"\x89PNG\r\n\x1a\n", "is a PNG image, not a roundup post"),
    (b"\xff\xd8\xff", "is a JPEG image, not a roundup post"),
    (b"GIF8", "is a GIF image, not a roundup post"),
    (b"%PDF-", "is a PDF document, not a roundup post"),
    (b"\x1f\x8b", "is a gzip archive, not a roundup post"),
    (b"PK\x03\x04", "is a ZIP archive (a .docx or .odt document?), not a roundup post"),
)


MAX_SCHEDULE_BYTES = 32 * 1024 * 1024  # FOSDEM's schedule.xml, the largest we know, is ~6 MB


def read_text(path):
    """The UTF-8 text of ``path``; ``SourceError`` if it is missing, too big or not text."""
    return decode(read_bytes(path, limit=MAX_BYTES, what="a roundup post"))


def read_bytes(path, *, limit=MAX_SCHEDULE_BYTES, what="a schedule"):
    """The bytes of ``path``, at most ``limit``; ``SourceError`` if it is missing or too big,
    or not a regular file (``what`` names what it should be, in the message).

    The file is opened without blocking and checked before anything is read: a named pipe
    would otherwise wait forever for a writer, and a file over the cap is refused unread.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as error:
        raise SourceError(START, "no such file") from error
    except OSError as error:
        raise SourceError(START, f"cannot read the file: {error.strerror or error}") from error
    except ValueError as error:  # a NUL in the path (only from code: argv cannot hold one)
        raise SourceError(START, "the path contains a NUL character") from error
    try:
        _check_file_kind(os.fstat(descriptor), limit=limit, what=what)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise SourceError(START, f"cannot read the file: {error.strerror or error}") from error
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise SourceError(START, too_big(limit))
    return data


def too_big(limit):
    """The refusal of a file over ``limit`` bytes, in MB when the cap is whole megabytes."""
    megabytes, rest = divmod(limit, 1024 * 1024)
    return (
        f"file is larger than {megabytes} MB"
        if megabytes and not rest
        else (f"file is larger than {limit} bytes")
    )


def _check_file_kind(status, *, limit, what):
    if stat.S_ISDIR(status.st_mode):
        raise SourceError(START, f"is a directory, not {what}")
    if stat.S_ISFIFO(status.st_mode) or stat.S_ISSOCK(status.st_mode):
        raise SourceError(START, f"is a pipe or a socket, not {what}")
    if stat.S_ISREG(status.st_mode) and status.st_size > limit:
        raise SourceError(START, too_big(limit))


def decode(data):
    """UTF-8 text, or a ``SourceError`` that says what the bytes look like instead."""
    for signature, message in NOT_UTF8_SIGNATURES:
        if data.startswith(signature):
            raise SourceError(START, message)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise SourceError(Origin(line=line), "contains NUL bytes: this is not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            Origin(line=line),
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded)",
        ) from error
