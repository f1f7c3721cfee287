"""The import policy: what is refused before a document is loaded, and what is reported.

A :class:`ImportBatch` is the files imported together (the arguments of one ``import_roundup``
command; later, one upload in the admin). For each file it reads the document, refuses it when
another file of the batch already claimed its event's slug or when it embeds a provider we do
not support (unless told to skip those, which are then listed), and loads it. Problems and
notices carry the :class:`~.document.Origin` they are about; :func:`located` writes them as
``PATH:LINE: message``, the form editors and ``grep`` understand.
"""

import os
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DatabaseError

from .document import START, SourceError
from .loader import load_event
from .readers import READERS, detect_format


class FileNotImported(Exception):
    """One file was refused; ``problems`` are ``(origin, message)`` pairs, ``notices`` what was
    found to report before it was refused."""

    def __init__(self, problems, notices=()):
        super().__init__(problems)
        self.problems = problems
        self.notices = list(notices)


@dataclass
class FileImport:
    """One file imported: its document, the load's report and the notices to show."""

    path: str
    document: object
    report: object
    notices: list = field(default_factory=list)  # (origin, message)


class ImportBatch:
    """Files imported together, with the same options.

    ``format`` is a name of :data:`~.readers.READERS`, or "auto" to tell it from each file's
    content; ``event_slug`` and ``event_name`` name the event instead of the file (a
    Sessionize export does not name it). ``publish``, ``dry_run`` and ``recorded_by`` are the
    loader's; ``skip_unsupported`` imports a file that embeds an unsupported provider without
    those embeds instead of refusing it.
    """

    def __init__(
        self,
        *,
        format="auto",
        event_slug=None,
        event_name=None,
        publish=True,
        dry_run=False,
        skip_unsupported=False,
        recorded_by=None,
    ):
        if format != "auto" and format not in READERS:
            raise ValueError(f"unknown format {format!r}: one of {', '.join(READERS)} or auto")
        self.format = format
        self.event_slug = event_slug
        self.event_name = event_name
        self.publish = publish
        self.dry_run = dry_run
        self.skip_unsupported = skip_unsupported
        self.recorded_by = recorded_by
        self.slugs_imported = {}  # slug -> the path that imported it

    def read(self, path):
        """The document of ``path``, read in the batch's format (or the one it looks like),
        named as the batch says; :class:`FileNotImported` when it cannot be."""
        try:
            format = detect_format(path) if self.format == "auto" else self.format
            if format not in READERS:
                raise SourceError(START, f"{format} files cannot be imported yet")
            document = READERS[format](path)
        except SourceError as error:
            raise FileNotImported([(error.origin, error.message)]) from error
        if self.event_slug:
            try:
                validate_slug(self.event_slug)
            except ValidationError as error:
                problem = (START, f"event slug {self.event_slug!r}: {error.messages[0]}")
                raise FileNotImported([problem]) from error
            document.source_key = self.event_slug
        if self.event_name:
            document.name = self.event_name
            document.title = document.title or self.event_name
        if not document.source_key or not document.name:
            missing = "slug" if not document.source_key else "name"
            problem = (
                START,
                f"the file does not give its event's {missing}: say which event it is with "
                "--event SLUG and --name NAME (in the admin: the event's slug and name)",
            )
            raise FileNotImported([problem])
        return document

    def import_file(self, path):
        """Read, check and load ``path``; a :class:`FileImport`, or :class:`FileNotImported`."""
        document = self.read(path)
        self.check_slug_unclaimed(path, document)
        notices = self.check_embeds(document)
        try:
            report = load_event(
                document=document,
                publish=self.publish,
                dry_run=self.dry_run,
                recorded_by=self.recorded_by,
            )
        except SourceError as error:
            raise FileNotImported([(error.origin, error.message)], notices) from error
        except DatabaseError as error:
            problem = (START, f"the database refused the import: {error}")
            raise FileNotImported([problem], notices) from error
        self.slugs_imported[document.source_key] = path
        return FileImport(path, document, report, notices)

    def check_slug_unclaimed(self, path, document):
        """Two files of one batch naming one event: the second would overwrite the first."""
        other = self.slugs_imported.get(document.source_key)
        if other is not None and os.path.realpath(other) != os.path.realpath(path):
            message = (
                f"slug {document.source_key!r} is also the slug of {other}, imported just "
                "before: give one of them another slug"
            )
            raise FileNotImported([(document.origin_of("slug"), message)])

    def check_embeds(self, document):
        """Refuse unsupported embeds unless skipping them; the notices to show otherwise."""
        if document.unsupported_embeds and not self.skip_unsupported:
            raise FileNotImported(
                [
                    (note.origin, f"{note.message} (use --skip-unsupported to import without it)")
                    for note in document.unsupported_embeds
                ]
            )
        skipped = [(note.origin, f"skipped {note.message}") for note in document.unsupported_embeds]
        return skipped + [(note.origin, note.message) for note in document.notes]


def located(path, origin, message):
    """``PATH:LINE: message``; ``PATH: /json/pointer: message`` for a place in a JSON
    document (line 1 when the origin has neither)."""
    if origin.line is None and origin.pointer:
        return f"{path}: {origin.pointer}: {message}"
    return f"{path}:{origin.line or 1}: {message}"
