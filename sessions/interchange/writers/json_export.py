"""The JSON export writer: everything the event page shows (see ``docs/export-json.md``)."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from .addresses import absolute_url

JSON_EXPORT_VERSION = 1


def write(snapshot, *, base_url):
    """The snapshot as JSON text; addresses are absolute against ``base_url``
    (``scheme://host[:port]``, as a request's ``build_absolute_uri`` gives them)."""

    def url(location):
        return absolute_url(base_url, location)

    event = snapshot.event
    data = {
        "version": JSON_EXPORT_VERSION,
        "event": {
            "name": event.name,
            "slug": event.slug,
            "summary": event.summary,
            "start_date": event.start_date.isoformat() if event.start_date else None,
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "venue": event.venue,
            "city": event.city,
            "country": event.country,
            "website": event.website,
            "photo_gallery_url": event.photo_gallery_url,
            "attendee_count": event.attendee_count,
            "country_count": event.country_count,
            "time_zone": event.time_zone,
            "url": url(event.get_absolute_url()),
        },
        "rooms": [
            {
                "slug": room.slug,
                "name": room.name,
                "position": room.position,
                "capacity": room.capacity,
                "description": room.description,
            }
            for room in snapshot.rooms
        ],
        "tracks": [
            {
                "slug": track.slug,
                "name": track.name,
                "colour": track.colour,
                "position": track.position,
            }
            for track in snapshot.tracks
        ],
        "sponsors": [
            {
                "name": sponsorship.sponsor.name,
                "slug": sponsorship.sponsor.slug,
                "website": sponsorship.sponsor.website,
                "tier": sponsorship.get_tier_display(),
                "position": sponsorship.position,
            }
            for sponsorship in snapshot.sponsorships
        ],
        "sessions": [
            {
                "slug": session.slug,
                "title": session.title,
                "kind": session.kind,
                "day": session.day,
                "position": session.position,
                "start_time": _local_time(session),
                "starts_at": _isoformat(session.local_starts_at),
                "ends_at": _isoformat(session.local_ends_at),
                "duration": _minutes(session.duration),
                "room": session.room.slug if session.room else None,
                "track": session.track.slug if session.track else None,
                "language": session.language,
                "guid": str(session.guid),
                "description": session.description,
                "url": url(session.get_absolute_url()),
                "speakers": [speaker.slug for speaker in session.ordered_speakers],
                "tags": sorted(tag.name for tag in session.tags.all()),
                "recordings": [
                    {
                        "provider": recording.provider,
                        "key": recording.provider_key,
                        "url": recording.url,
                        "embed_url": recording.embed_url or None,
                        "kind": recording.kind,
                    }
                    for recording in session.recordings.all()
                ],
                "slide_decks": [
                    {
                        "provider": deck.provider,
                        "key": deck.provider_key,
                        "url": url(deck.pdf.url) if deck.pdf else deck.url,
                        "embed_url": url(deck.embed_url) if deck.embed_url else None,
                    }
                    for deck in session.slide_decks.all()
                ],
            }
            for session in snapshot.sessions
        ],
        "speakers": [
            {
                "slug": speaker.slug,
                "name": speaker.name,
                "company": speaker.company,
                "bio": speaker.bio,
                "url": url(speaker.get_absolute_url()),
                "links": [{"kind": link.kind, "url": link.url} for link in speaker.links.all()],
            }
            for speaker in snapshot.speakers
        ],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def _local_time(session):
    """``HH:MM:SS`` in the event's zone, as version 1 gave the time of day."""
    start = session.local_starts_at
    return start.time().isoformat() if start else None


def _isoformat(moment):
    """ISO 8601 with the offset of the event's zone (``2024-03-31T10:00:00+02:00``)."""
    return moment.isoformat() if moment else None


def _minutes(duration):
    return round(duration.total_seconds() / 60) if duration is not None else None
