"""Big test data built fast and once: rows saved with ``bulk_create`` (doing what ``save()``
would), and rows built once for the tests of a module that only read them (a 1,000-session
event), rolled back after the module's last test.

``bulk_create`` sends no signals: the page versions are not bumped row by row (thousands of
version updates, most of a factory-built big event's time); a builder bumps its event's once
at the end with :func:`conference.caching.content_changed_for`, as an import does.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from taggit.models import Tag, TaggedItem

from conference.markup import StoredMarkdown, fill_markdown


def saved_in_bulk(model, instances):
    """``instances`` of ``model`` (unsaved, e.g. a factory's ``build_batch``) saved in one
    ``bulk_create``, with what their ``save()`` does first: the stored HTML of their markdown,
    the canonical URL and provider of a recording or slide deck. Returns them, with their pks."""
    for instance in instances:
        if isinstance(instance, StoredMarkdown):
            fill_markdown(instance, model.markdown_fields)
        if hasattr(instance, "derive_from_url"):
            instance.derive_from_url()
    return model.objects.bulk_create(instances)


def tagged_in_bulk(tags_of):
    """Tag each object of ``tags_of`` (``{object: [tag name, ...]}``, objects of one model)
    with its names, as ``object.tags.add(*names)`` would, in a few queries."""
    names = sorted({name for names in tags_of.values() for name in names})
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in names}
    content_types = {}
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(
                content_type=content_types.setdefault(
                    type(item), ContentType.objects.get_for_model(type(item))
                ),
                object_id=item.pk,
                tag=tags[name],
            )
            for item, names in tags_of.items()
            for name in names
        ]
    )


def built_once(django_db_blocker, build, *args, **kwargs):
    """The body of a module-scoped fixture: ``build(*args, **kwargs)`` run inside a transaction
    kept open for the module's tests (each test's own transaction is a savepoint in it, so what
    a test writes is rolled back to the built rows, as with ``reference_import`` in
    tests/conftest.py), and rolled back itself after the last of them.

    Use it as ``yield from built_once(django_db_blocker, build_event, size)``."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its own: not durable
        atomic.__enter__()
        try:
            built = build(*args, **kwargs)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
