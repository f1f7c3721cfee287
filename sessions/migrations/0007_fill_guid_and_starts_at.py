"""Give every session its own GUID and move each ``start_time`` into ``starts_at``.

A time of day becomes a moment on the session's day (the event's start date plus ``day - 1``)
in the event's zone, read as ``Event.moment`` reads it (PEP 495, ``fold=0``). A session whose
event has no start date has no day to put its time on: it stays untimed, and is listed here.
"""

import datetime
import uuid
import zoneinfo

from django.db import migrations

BATCH = 500


def fill_guids(apps, schema_editor):
    Session = apps.get_model("talks", "Session")
    sessions = list(Session.objects.filter(guid__isnull=True).only("pk"))
    for session in sessions:
        session.guid = uuid.uuid4()  # one each: a default would give every row the same
    Session.objects.bulk_update(sessions, ["guid"], batch_size=BATCH)


def moment(start_date, day, time_of_day, zone):
    date = start_date + datetime.timedelta(days=day - 1)
    local = datetime.datetime.combine(date, time_of_day, tzinfo=zone)
    return local.astimezone(datetime.UTC)


def start_times_to_moments(apps, schema_editor):
    Session = apps.get_model("talks", "Session")
    timed = Session.objects.filter(start_time__isnull=False, starts_at__isnull=True)
    moved, lost = [], []
    for session in timed.select_related("event").order_by("event__slug", "day", "position"):
        event = session.event
        if event.start_date is None:
            lost.append(session)
            continue
        zone = zoneinfo.ZoneInfo(event.time_zone)
        session.starts_at = moment(event.start_date, session.day, session.start_time, zone)
        moved.append(session)
    Session.objects.bulk_update(moved, ["starts_at"], batch_size=BATCH)
    for session in lost:
        print(
            f"\n  Session “{session.title}” ({session.event.slug}/{session.slug}) keeps no "
            f"time: its start time {session.start_time:%H:%M} needs a start date on event "
            f"“{session.event.name}”.",
            end="",
        )


def moments_to_start_times(apps, schema_editor):
    Session = apps.get_model("talks", "Session")
    sessions = list(Session.objects.filter(starts_at__isnull=False).select_related("event"))
    for session in sessions:
        zone = zoneinfo.ZoneInfo(session.event.time_zone)
        session.start_time = session.starts_at.astimezone(zone).time()
    Session.objects.bulk_update(sessions, ["start_time"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0006_programme"),
    ]

    operations = [
        migrations.RunPython(fill_guids, migrations.RunPython.noop),
        migrations.RunPython(start_times_to_moments, moments_to_start_times),
    ]
