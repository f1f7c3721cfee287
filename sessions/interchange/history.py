"""What an import changed, written to the admin history next to the organisers' own edits.

Once a load is done, :func:`record_history` turns its :class:`~.report.LoadReport` into
``LogEntry`` rows: each created, changed or deleted event, session, speaker and sponsor gets
one, so its "History" page in the admin says when an import touched it, from which file and
line, and under which account; the event gets one more that sums up its sessions. Nothing is
written for what an import left as it was: importing the same post twice adds no history.
"""

from pathlib import Path

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

from conference.models import Event, Sponsor
from sessions.models import Session
from speakers.models import Speaker

from .report import CHANGED, CREATED, DELETED

IMPORTER_USERNAME = "roundup-import"
OBJECT_REPR_LENGTH = 200  # LogEntry.object_repr
HISTORY_MODELS = (Event, Session, Speaker, Sponsor)  # the objects organisers edit in the admin
FLAGS = {CREATED: ADDITION, CHANGED: CHANGE, DELETED: DELETION}


def importer_account():
    """The account imports are recorded under when no user is named; it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORTER_USERNAME,
        defaults={"first_name": "Roundup import", "last_name": "(command line)"},
    )
    if created:
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
    return user


def record_history(report, user=None):
    """Write the history of ``report`` in one query, under ``user`` (else the importer's
    account); return the entries (none when nothing changed)."""
    source = Path(report.document.source).name
    entries = [
        (change.instance, change.object_id, FLAGS[change.action], _what(change), change.origin)
        for change in report.changes
        if change.model in HISTORY_MODELS
    ]
    if not entries:
        return []
    event = report.event
    entries.append((event, str(event.pk), CHANGE, _summary(report), None))
    user = user or importer_account()
    content_types = ContentType.objects.get_for_models(*{type(entry[0]) for entry in entries})
    return LogEntry.objects.bulk_create(
        LogEntry(
            user=user,
            content_type=content_types[type(instance)],
            object_id=object_id,
            object_repr=str(instance)[:OBJECT_REPR_LENGTH],
            action_flag=flag,
            change_message=_message(source, what, origin),
        )
        for instance, object_id, flag, what, origin in entries
    )


def _what(change):
    if change.action == CREATED:
        return "created"
    if change.action == DELETED:
        return "deleted: no longer in the post"
    labels = dict.fromkeys(_label(change.model, name) for name in change.fields)
    return f"changed {', '.join(labels)}"


def _summary(report):
    """What the import did to the event's sessions."""
    sessions = [
        f"{count} {action}"
        for action, count in [
            ("created", report.sessions_created),
            ("updated", report.sessions_updated),
            ("deleted", report.sessions_deleted),
        ]
        if count
    ]
    return f"sessions {', '.join(sessions)}" if sessions else "no session changed"


def _message(source, what, origin):
    where = f"{source}, {origin}" if origin else source
    return f"Roundup import from {where}: {what}."


def _label(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))  # reverse relations have none
