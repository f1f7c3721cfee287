"""What an import changed, written to the admin history next to the organisers' own edits.

Each created, changed or deleted event, session, speaker and sponsor gets a ``LogEntry``, so
its "History" page in the admin says when a roundup import touched it, from which file and
line, and under which account. Nothing is written for what an import left as it was: importing
the same post twice adds no history.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

IMPORTER_USERNAME = "roundup-import"
OBJECT_REPR_LENGTH = 200  # LogEntry.object_repr


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


@dataclass
class _Change:
    instance: object
    action_flag: int
    message: str
    object_id: str = ""


@dataclass
class ImportHistory:
    """Collects the changes of one import; :meth:`save` writes them in one query."""

    source: str
    changes: list[_Change] = field(default_factory=list)
    _created: set = field(default_factory=set)

    def added(self, instance, *, line=None):
        self._created.add((type(instance), instance.pk))
        self.changes.append(_Change(instance, ADDITION, self._message("created", line)))

    def changed(self, instance, fields, *, line=None):
        """``fields``: model field names or words such as "speakers"; nothing for a new object."""
        if fields and (type(instance), instance.pk) not in self._created:
            labels = dict.fromkeys(_label(type(instance), name) for name in fields)
            what = f"changed {', '.join(labels)}"
            self.changes.append(_Change(instance, CHANGE, self._message(what, line)))

    def deleted(self, instance):
        """Call before deleting ``instance``: its primary key is gone afterwards."""
        message = self._message("deleted: no longer in the post", None)
        self.changes.append(_Change(instance, DELETION, message, object_id=str(instance.pk)))

    def summarise(self, event, summary):
        """A line on the event's own history saying what the import did to its sessions."""
        self.changes.append(_Change(event, CHANGE, self._message(summary, None)))

    def save(self, user):
        if not self.changes:
            return []
        content_types = ContentType.objects.get_for_models(
            *{type(change.instance) for change in self.changes}
        )
        return LogEntry.objects.bulk_create(
            LogEntry(
                user=user,
                content_type=content_types[type(change.instance)],
                object_id=change.object_id or str(change.instance.pk),
                object_repr=str(change.instance)[:OBJECT_REPR_LENGTH],
                action_flag=change.action_flag,
                change_message=change.message,
            )
            for change in self.changes
        )

    def _message(self, what, line):
        where = f"{Path(self.source).name}, line {line}" if line else Path(self.source).name
        return f"Roundup import from {where}: {what}."


def _label(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))  # reverse relations have none
