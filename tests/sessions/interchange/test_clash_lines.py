"""The clash lines of an import's report: the end's day is named when the session ends on
another day than it starts."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from sessions.interchange.diff import clash_lines


class Timed(SimpleNamespace):
    def __str__(self):
        return self.title


def timed(title, start, minutes):
    starts_at = datetime.fromisoformat(start)
    return Timed(
        title=title,
        room="Saal 1",
        local_starts_at=starts_at,
        local_ends_at=starts_at + timedelta(minutes=minutes),
    )


def report(*, room_clashes=(), speaker_clashes=()):
    return SimpleNamespace(room_clashes=room_clashes, speaker_clashes=speaker_clashes)


def test_speaker_clash_past_midnight_names_the_end_day():
    late = timed("Late Night", "2099-12-27T23:30", 90)
    early = timed("Early Bird", "2099-12-28T00:30", 30)
    speakers = [SimpleNamespace(name="Ada")]

    lines = clash_lines(report(speaker_clashes=[(late, early, speakers)]))

    assert lines == [
        "speaker clash: Ada in “Late Night” (Sun 27 Dec 23:30 to Mon 28 Dec 01:00) and "
        "“Early Bird” (Mon 00:30 to 01:00)"
    ]


def test_room_clash_over_several_days_names_both_dates():
    camp = timed("Camp", "2099-12-27T10:00", 3 * 24 * 60)
    talk = timed("Talk", "2099-12-28T10:00", 60)

    lines = clash_lines(report(room_clashes=[(camp, talk)]))

    assert lines == [
        "room clash: Saal 1, Sun 27 Dec 10:00 to Wed 30 Dec 10:00: “Camp” overlaps “Talk” "
        "(Mon 10:00 to 11:00)"
    ]


def test_clash_within_one_day_keeps_the_short_form():
    first = timed("Opening", "2099-12-27T11:00", 40)
    second = timed("Lockpicking", "2099-12-27T11:00", 120)

    assert clash_lines(report(room_clashes=[(first, second)])) == [
        "room clash: Saal 1, Sun 11:00 to 11:40: “Opening” overlaps “Lockpicking” "
        "(Sun 11:00 to 13:00)"
    ]
