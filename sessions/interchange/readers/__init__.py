"""The readers of exchange formats, by format name (as Django's ``BUILTIN_SERIALIZERS``).

``READERS[name](path)`` reads the file at ``path`` into an
:class:`~sessions.interchange.document.EventDocument`, or raises
:class:`~sessions.interchange.document.SourceError`. A reader is pure: it never touches the
database.
"""

from . import roundup

READERS = {"roundup": roundup.read}
