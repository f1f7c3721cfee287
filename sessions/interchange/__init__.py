"""Exchange formats: every way an event comes in or goes out, around one neutral document.

- ``readers/``: one module (or package) per format turns a file into a
  :class:`~sessions.interchange.document.EventDocument`; pure, no database. ``READERS`` in
  :mod:`.readers` names them by format.
- ``loader.py``: the one loader writes a document to the database in one transaction and returns
  a field-level :class:`~sessions.interchange.report.LoadReport`.
- ``writers/``: one module per format turns a snapshot of an event into text or bytes.
  ``WRITERS`` in :mod:`.writers` names them by format.

Views, management commands and background jobs call these; none holds format code itself.
"""
