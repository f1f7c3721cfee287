"""Write an :class:`~.document.EventDocument` to the database, in one transaction.

Importing is idempotent: the event is found by its source key (its slug), its sessions by
theirs within the event, speakers by normalised profile URL and then by name (one person is one
speaker across events), sponsors by slug, recordings and slide decks by provider key. Whatever
the document no longer lists is removed from the event; nothing is written when nothing
changed. Every change is recorded in the :class:`~.report.LoadReport` returned, from which the
admin history is written once the load is done (see :mod:`.history`).

A document that states a programme (``has_programme``: a frab, Sessionize or CSV schedule)
also sets the event's rooms and tracks and each session's time, room, track and language,
finds sessions again by their guid before their slug and speakers by the source's person id
before anything else, and keeps the source's room overlaps (reported, not refused). A roundup
post leaves those as the organiser set them.

Ordered rows have unique positions, so rows that move are first bumped out of the way
(``position + 100000``) and then written at their final place.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import slugify

from conference.caching import content_changed_for, event_scopes, one_version_bump
from conference.models import Event, Sponsor, Sponsorship
from sessions.models import (
    Recording,
    Room,
    Session,
    SessionLink,
    SessionSpeaker,
    SlideDeck,
    Track,
)
from sessions.providers import SlidesProvider
from speakers.models import ProfileLink, SourceId, Speaker, normalise_profile_url

from .document import START, SourceError, name_key
from .history import record_history
from .report import LoadReport

OUT_OF_THE_WAY = 100_000
RENAMING = "renaming-"  # the slug of a session whose slug changes, until it is written
# Facts a document may leave unsaid: an empty value never erases what an organiser entered.
OPTIONAL_EVENT_FIELDS = (
    "start_date", "end_date", "venue", "city", "country", "website", "photo_gallery_url",
    "attendee_count", "country_count", "time_zone",
)  # fmt: skip
# The colours of tracks a source gives none for, in turn: each meets WCAG AA under white text.
TRACK_COLOURS = (
    "#1f5fa8", "#9b2c2c", "#2f6b3a", "#6b3fa0", "#8a4b08", "#1d6f6f", "#a3286d", "#4a5568",
)  # fmt: skip


def load_event(*, document, publish=True, dry_run=False, recorded_by=None):
    """Create or update the event of ``document`` with everything in it; return the report.

    ``publish`` sets ``is_published`` on the event and its sessions; ``dry_run`` does all the
    work and then rolls it back, so the report says what would happen. The admin history
    records the changes under ``recorded_by`` (by default the importer's own account).
    Raises :class:`~.document.SourceError` naming where the value the models refuse came from.
    """
    report = LoadReport(document=document)
    with transaction.atomic():
        with one_version_bump():
            sync_event(document=document, publish=publish, report=report)
            event = report.event
            sync_sponsors(event=event, sponsors=document.sponsors, report=report)
            programme = None
            if document.has_programme:
                programme = Programme(
                    rooms=sync_rooms(event=event, rooms=document.rooms, report=report),
                    tracks=sync_tracks(event=event, tracks=document.tracks, report=report),
                )
            sync_sessions(
                event=event,
                sessions=document.sessions,
                publish=publish,
                report=report,
                programme=programme,
            )
            if programme is not None:
                remove_unlisted(event.rooms, kept=programme.rooms, report=report)
                remove_unlisted(event.tracks, kept=programme.tracks, report=report)
                report.room_clashes = event.sessions.room_clashes()
                report.speaker_clashes = event.sessions.speaker_clashes()
            # Positions, titles and links are also written with QuerySet.update(), which sends
            # no signal; a load that changed nothing leaves every cached page warm.
            if report.changes:
                content_changed_for(event_scopes([event.slug]))
        if dry_run:
            transaction.set_rollback(True)
        else:
            record_history(report, recorded_by)
    return report


def sync_event(*, document, publish, report):
    """Find the event by its key (or create it) and set the facts the document states."""
    event = Event.objects.filter(slug=document.source_key).first()
    if event is not None and not document.sessions and event.sessions.exists():
        raise SourceError(
            START,
            f"the post lists no sessions: importing it would delete all "
            f"{event.sessions.count()} sessions of {event.name!r}",
        )
    created = event is None
    if created:
        event = Event(slug=document.source_key)
    values = {"name": document.name, "summary": document.summary, "is_published": publish}
    for name in OPTIONAL_EVENT_FIELDS:
        value = getattr(document, name)
        if value not in ("", None):
            values[name] = value
    changed = _assign(event, values)
    if created or changed:
        _clean(event, origins=document.origins, what="event")
        event.save()
    report.event = event
    if created:
        report.created(event)
    else:
        report.changed(event, changed)


def sync_sponsors(*, event, sponsors, report):
    """Sponsors thanked in the document, in order; sponsorships of others are removed."""
    before = () if report.event_created else _sponsor_slugs(event)
    kept, sponsorships_changed = [], False
    for position, item in enumerate(sponsors):
        what = f"sponsor {item.name!r}"
        sponsor = Sponsor.objects.filter(slug=item.source_key).first()
        if sponsor is None:
            sponsor = Sponsor(name=item.name, slug=item.source_key, website=item.url)
            _clean(sponsor, origin=item.origin, what=what)
            sponsor.save()
            report.created(sponsor, origin=item.origin)
        elif item.url and (changed := _assign(sponsor, {"website": item.url})):
            _clean(sponsor, origin=item.origin, what=what)
            sponsor.save()
            report.changed(sponsor, changed, origin=item.origin)
        sponsorship = event.sponsorships.filter(sponsor=sponsor).order_by("tier").first()
        if sponsorship is None:
            sponsorship = Sponsorship(event=event, sponsor=sponsor, position=position)
            _clean(sponsorship, origin=item.origin, what=what)
            sponsorship.save()
            sponsorships_changed = True
        elif sponsorship.position != position:
            sponsorship.position = position
            sponsorship.save(update_fields=["position"])
            sponsorships_changed = True
        kept.append(sponsorship.pk)
    removed, _ = event.sponsorships.exclude(pk__in=kept).delete()
    if sponsorships_changed or removed:
        report.changed(event, {"sponsors": (before, _sponsor_slugs(event))})


def _sponsor_slugs(event):
    return tuple(event.sponsorships.values_list("sponsor__slug", flat=True))


class Programme:
    """The event's rooms and tracks by slug, as a document with a programme has them."""

    def __init__(self, *, rooms, tracks):
        self.rooms = rooms
        self.tracks = tracks


def sync_rooms(*, event, rooms, report):
    """The document's rooms, in its column order, created or updated; ``{slug: room}``."""
    existing = {room.slug: room for room in event.rooms.all()}
    kept = {}
    for position, item in enumerate(rooms):
        values = {"name": item.name, "position": position}
        if item.capacity is not None:
            values["capacity"] = item.capacity
        if item.description:
            values["description"] = item.description
        kept[item.source_key] = _sync_row(
            model=Room,
            row=existing.get(item.source_key),
            create={"event": event, "slug": item.source_key},
            values=values,
            origin=item.origin,
            what=f"room {item.name!r}",
            report=report,
        )
    return kept


def sync_tracks(*, event, tracks, report):
    """The document's tracks, in its legend order; a track the source gives no colour keeps
    the one it has, or gets the next of :data:`TRACK_COLOURS`. ``{slug: track}``."""
    existing = {track.slug: track for track in event.tracks.all()}
    kept = {}
    for position, item in enumerate(tracks):
        values = {"name": item.name, "position": position}
        row = existing.get(item.source_key)
        if item.colour:
            values["colour"] = item.colour.lower()
        elif row is None:
            values["colour"] = TRACK_COLOURS[position % len(TRACK_COLOURS)]
        kept[item.source_key] = _sync_row(
            model=Track,
            row=row,
            create={"event": event, "slug": item.source_key},
            values=values,
            origin=item.origin,
            what=f"track {item.name!r}",
            report=report,
        )
    return kept


def _sync_row(*, model, row, create, values, origin, what, report):
    """Create ``model`` with ``create`` and ``values``, or set ``values`` on ``row``."""
    if row is None:
        row = model(**create, **values)
        _clean(row, origin=origin, what=what)
        row.save()
        report.created(row, origin=origin)
    elif changed := _assign(row, values):
        _clean(row, origin=origin, what=what)
        row.save()
        report.changed(row, changed, origin=origin)
    return row


def remove_unlisted(rows, *, kept, report):
    """Delete the rooms (or tracks) of the event the document does not list."""
    stale = list(rows.exclude(pk__in=[row.pk for row in kept.values()]))
    for row in stale:
        report.deleted(row)
    rows.model.objects.filter(pk__in=[row.pk for row in stale]).delete()


def sync_sessions(*, event, sessions, publish, report, programme=None):
    """Create, update or delete the event's sessions so they match the document, in order.

    A session is found again by the document's guid for it, and then by its slug; the
    sessions the document no longer lists are deleted.
    """
    # Every relation of the existing sessions in one query each, not one per session.
    existing = event.sessions.select_related("room", "track").prefetch_related(
        "session_speakers", "recordings", "slide_decks", "links"
    )
    matches = match_sessions(existing, sessions)
    kept = {session.pk for session in matches.values()}
    stale = [session for session in event.sessions.all() if session.pk not in kept]
    if stale:
        for session in stale:
            report.deleted(session)
        Session.objects.filter(pk__in=[session.pk for session in stale]).delete()
    renamed = [
        session.pk
        for index, session in matches.items()
        if session.slug != sessions[index].source_key
    ]
    # A slug another session gives up in this load may be taken by a session earlier in it.
    Session.objects.filter(pk__in=renamed).update(
        slug=Concat(Value(RENAMING), Cast("pk", output_field=CharField()))
    )
    moving = [session.pk for index, session in matches.items() if _moves(session, sessions[index])]
    _move_out_of_the_way(Session, moving)
    speakers = SpeakerDirectory(report=report)
    guids_taken = _guids_taken(sessions)
    for index, item in enumerate(sessions):
        sync_session(
            event=event,
            item=item,
            publish=publish,
            report=report,
            speakers=speakers,
            existing=matches.get(index),
            moving=moving,
            programme=programme,
            guids_taken=guids_taken,
        )
    report.speakers_in_post = len(speakers.seen)


def _moves(session, item):
    """Whether ``session`` takes another place among the untimed sessions' unique (day,
    position): a new position, or a new day for an item without a start. A timed session's
    day follows from its start (a day of the source may run past midnight) and is not
    part of that constraint."""
    if session.position != item.position:
        return True
    return item.starts_at is None and item.start_time is None and session.day != item.day


def match_sessions(existing, items):
    """``{index of an item: its session}`` among ``existing``: by guid first, for every item,
    then by slug among the sessions no guid claimed."""
    existing = list(existing)
    by_guid = {session.guid: session for session in existing}
    by_slug = {session.slug: session for session in existing}
    matches, claimed = {}, set()
    for index, item in enumerate(items):
        session = by_guid.get(item.guid) if item.guid else None
        if session is not None and session.pk not in claimed:
            matches[index] = session
            claimed.add(session.pk)
    for index, item in enumerate(items):
        session = by_slug.get(item.source_key)
        if index not in matches and session is not None and session.pk not in claimed:
            matches[index] = session
            claimed.add(session.pk)
    return matches


def _guids_taken(items):
    """The document's guids that sessions (of any event) already have."""
    guids = [item.guid for item in items if item.guid]
    return set(Session.objects.filter(guid__in=guids).values_list("guid", flat=True))


def sync_session(
    *, event, item, publish, report, speakers, existing, moving, programme, guids_taken
):
    """One session with its speakers, recordings, slide decks and links."""
    session = existing
    created = session is None
    original_slug = None if created else session.slug
    if created:
        session = Session(event=event, slug=item.source_key)
        if item.guid and item.guid not in guids_taken:
            session.guid = item.guid
            guids_taken.add(item.guid)
    else:
        session.event = event  # the event read once, not once per session
        if session.pk in moving:
            session.position += OUT_OF_THE_WAY  # what the database holds now
        if session.slug != item.source_key:
            session.slug = f"{RENAMING}{session.pk}"  # what the database holds now
    values = {
        "slug": item.source_key,
        "title": item.title,
        "kind": item.kind,
        "day": item.day,
        "position": item.position,
        "description": item.description,
        "starts_at": _starts_at(event, item),
        "is_published": publish,
    }
    if programme is not None:
        values |= {
            "starts_at": _programme_start(event, item),
            "duration": item.duration,
            "room": programme.rooms.get(item.room),
            "track": programme.tracks.get(item.track),
            "language": item.language,
        }
        session.keep_room_clashes = True  # the source's times as they are, clashes reported
        if values["starts_at"] is not None:
            del values["day"]  # it follows from the start
    changed = _assign(session, values)
    if "slug" in changed:
        changed["slug"] = (original_slug, item.source_key)
    if created or changed:
        # The event, room and track are rows this load holds: no query to check they exist.
        _clean(session, origin=item.origin, what="session", exclude=["event", "room", "track"])
        session.save()
    people = [speakers.resolve(item=speaker) for speaker in item.speakers]
    new = {"session": session, "created": created}
    relations = [
        ("speakers", sync_session_speakers(**new, speakers=people, origin=item.origin)),
        ("recordings", sync_recordings(**new, media=item.recordings, report=report)),
        ("slide decks", sync_slide_decks(**new, media=item.slide_decks, report=report)),
    ]
    if programme is not None:
        relations.append(("links", sync_links(**new, links=item.links)))

    for name, relation in relations:
        if relation is not None:
            changed[name] = relation
    if created:
        report.created(session, origin=item.origin)
    else:
        report.changed(session, changed, origin=item.origin)


def _starts_at(event, item):
    """The moment of a session's time of day on its day, in the event's zone; ``None`` when
    the document gives no time, or no start date to count the days from."""
    if item.start_time is None or event.start_date is None:
        return None
    return event.moment(item.day, item.start_time)


def _programme_start(event, item):
    """A schedule session's start: its moment, or its time of day on its numbered day."""
    if item.starts_at is not None:
        return _aware(event, item.starts_at)
    if item.start_time is not None and event.start_date is None:
        raise SourceError(
            item.origin,
            f"session {item.title!r} starts at {item.start_time:%H:%M} on day {item.day}, but "
            "the event has no start date to count the days from: give the date instead",
        )
    return _starts_at(event, item)


def _aware(event, moment):
    """``moment``, a naive one read as the event's wall-clock time (a source without zones)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, event.zone)


def sync_links(*, session, links, created=False):
    """The session's plain links, as the document lists them; ``(old, new)`` URLs in order
    if that changed anything, else ``None``."""
    rows = _related(session, "links", created=created)
    before = tuple((row.url, row.title) for row in rows)
    after = tuple((item.url, item.title) for item in links)
    if before == after:
        return None
    if rows:
        SessionLink.objects.filter(pk__in=[row.pk for row in rows]).delete()
    new_rows = [
        SessionLink(session=session, url=item.url, title=item.title, position=position)
        for position, item in enumerate(links)
    ]
    for row, item in zip(new_rows, links, strict=True):
        _clean(row, origin=item.origin, what="link", exclude=["session"])
    SessionLink.objects.bulk_create(new_rows)
    return tuple(url for url, _title in before), tuple(url for url, _title in after)


def sync_session_speakers(*, session, speakers, origin, created=False):
    """Link ``speakers`` to ``session`` in billing order; ``(old, new)`` speaker keys if that
    changed anything, else ``None``."""
    order = list(dict.fromkeys(speaker.pk for speaker in speakers))  # one person once
    links = {
        link.speaker_id: link for link in _related(session, "session_speakers", created=created)
    }
    before = tuple(link.speaker_id for link in sorted(links.values(), key=_position))
    stale = [link.pk for speaker_id, link in links.items() if speaker_id not in order]
    moving = [
        link.pk
        for speaker_id, link in links.items()
        if speaker_id in order and link.position != order.index(speaker_id)
    ]
    if stale:
        SessionSpeaker.objects.filter(pk__in=stale).delete()
    _move_out_of_the_way(SessionSpeaker, moving)
    added = 0
    for position, speaker_id in enumerate(order):
        link = links.get(speaker_id)
        if link is None:
            link = SessionSpeaker(session=session, speaker_id=speaker_id, position=position)
            _clean(link, origin=origin, what="session speaker", exclude=["session", "speaker"])
            link.save()
            added += 1
        elif link.pk in moving:
            link.position = position
            link.save(update_fields=["position"])
    return (before, tuple(order)) if stale or moving or added else None


def sync_recordings(*, session, media, report, created=False):
    """Recordings of ``session`` in the document's order, matched by provider key."""
    rows = _related(session, "recordings", created=created)
    return _sync_media(
        model=Recording, rows=rows, others=[], session=session, media=media, report=report
    )


def sync_slide_decks(*, session, media, report, created=False):
    """Slide decks of ``session`` in the document's order; uploaded PDFs are kept, after them."""
    decks = _related(session, "slide_decks", created=created)
    linked = [deck for deck in decks if deck.provider != SlidesProvider.PDF]
    pdfs = sorted((deck for deck in decks if deck.provider == SlidesProvider.PDF), key=_position)
    changed = _sync_media(
        model=SlideDeck, rows=linked, others=pdfs, session=session, media=media, report=report
    )
    misplaced = [deck for index, deck in enumerate(pdfs) if deck.position != len(media) + index]
    if misplaced:
        _move_out_of_the_way(SlideDeck, [deck.pk for deck in pdfs])
        for index, deck in enumerate(pdfs):
            SlideDeck.objects.filter(pk=deck.pk).update(position=len(media) + index)
    if changed is None and misplaced:
        keys = tuple((item.provider, item.key) for item in media)
        changed = (keys, keys)  # only the uploaded PDFs moved behind them
    return changed


def _sync_media(*, model, rows, others, session, media, report):
    """Make ``rows`` (recordings or slide decks) match ``media``; ``(old, new)`` provider keys
    in order if anything changed, else ``None``. ``others`` are the session's rows of ``model``
    the document does not manage (uploaded PDFs)."""
    existing = {(row.provider, row.provider_key): row for row in rows}
    before = tuple(key for key, _row in sorted(existing.items(), key=lambda kv: kv[1].position))
    targets = {(item.provider, item.key): position for position, item in enumerate(media)}
    stale = [row for key, row in existing.items() if key not in targets]
    moving = [
        row.pk for key, row in existing.items() if key in targets and row.position != targets[key]
    ]
    for row in stale:
        report.deleted(row)
    if stale:
        model.objects.filter(pk__in=[row.pk for row in stale]).delete()
    # Uploaded PDFs may sit where the document's decks go; move them too, they are put back after.
    blocking = [row for row in others if row.position < len(media)]
    _move_out_of_the_way(model, moving + [row.pk for row in blocking])
    for row in blocking:
        row.position += OUT_OF_THE_WAY  # what the database holds now
    added = updated = 0
    for item in media:
        key = (item.provider, item.key)
        row = existing.get(key)
        if row is None:
            row = model(
                session=session,
                url=item.url,
                provider=item.provider,
                provider_key=item.key,
                title=item.title,
                position=targets[key],
            )
            if model is Recording:
                row.alternate_urls = list(item.alternate_urls)
            _clean(row, origin=item.origin, what=str(model._meta.verbose_name), exclude=["session"])
            row.save()
            report.created(row, origin=item.origin)
            added += 1
            continue
        if row.pk in moving:
            model.objects.filter(pk=row.pk).update(position=targets[key])
        if (
            model is Recording
            and item.alternate_urls
            and (list(item.alternate_urls) != row.alternate_urls)
        ):
            model.objects.filter(pk=row.pk).update(alternate_urls=list(item.alternate_urls))
            report.changed(
                row, {"alternate_urls": (row.alternate_urls, list(item.alternate_urls))},
                origin=item.origin,
            )  # fmt: skip
            updated += 1
        if item.title and not row.title:  # a title set in the admin is kept
            model.objects.filter(pk=row.pk).update(title=item.title)
            report.changed(row, {"title": (row.title, item.title)}, origin=item.origin)
            updated += 1
    if not (added or stale or moving or updated):
        return None
    return before, tuple(targets)


class SpeakerDirectory:
    """Finds the one :class:`Speaker` for a person the document names, creating it if needed.

    Matching is by the source's id for the person first, then by normalised profile URL,
    then by name compared without case, accents or extra spaces, across the whole database and
    across the document (a name linked in one heading and bare in another is one speaker).
    A speaker found by the source's id takes the name the source now gives.
    """

    def __init__(self, *, report):
        self.report = report
        self.by_url = {}
        self._by_name = None
        self._by_source_id = None
        self._slugs_taken = None
        self.seen = set()

    @property
    def by_name(self):
        if self._by_name is None:
            self._by_name = {}
            for speaker in Speaker.objects.order_by("pk"):
                self._by_name.setdefault(name_key(speaker.name), speaker)
        return self._by_name

    @property
    def by_source_id(self):
        if self._by_source_id is None:
            keys = [
                speaker.source_id
                for item in self.report.document.sessions
                for speaker in item.speakers
                if speaker.source_id
            ]
            found = SourceId.objects.filter(key__in=keys).select_related("speaker")
            self._by_source_id = {row.key: row.speaker for row in found}
        return self._by_source_id

    def resolve(self, *, item):
        """The speaker for a :class:`~.document.SpeakerItem`."""
        origin = item.origin
        what = f"speaker {item.name!r}"
        profile = normalise_profile_url(item.url) if item.url else ""
        speaker = self.by_source_id.get(item.source_id) if item.source_id else None
        values = {"name": item.name} if speaker is not None else {}
        # Looked up even for a speaker found by id: a profile already stored is not added again.
        by_profile = self._by_profile(profile)
        speaker = speaker or by_profile or self.by_name.get(name_key(item.name))
        if item.company:
            values["company"] = item.company
        if item.bio:
            values["bio"] = item.bio
        if speaker is None:
            speaker = Speaker(name=item.name, slug=self.unique_slug(item.name))
            _assign(speaker, values)
            # unique_slug() made the one unique field unique: no query to check it again.
            _clean(speaker, origin=origin, what=what, validate_unique=False)
            speaker.save()
            self.report.created(speaker, origin=origin)
        elif changed := _assign(speaker, values):
            _clean(speaker, origin=origin, what=what)
            speaker.save(update_fields=[*changed, "updated_at"])
            self.report.changed(speaker, changed, origin=origin)
        if profile and profile not in self.by_url:
            self._add_profile(speaker, item.url, origin)
            self.by_url[profile] = speaker
        if item.source_id and item.source_id not in self.by_source_id:
            SourceId.objects.create(speaker=speaker, key=item.source_id[:300])
            self.by_source_id[item.source_id] = speaker
        self.by_name.setdefault(name_key(item.name), speaker)
        self.seen.add(speaker.pk)
        return speaker

    def unique_slug(self, name):
        """A slug for a new speaker called ``name`` that no speaker has (all read once)."""
        if self._slugs_taken is None:
            self._slugs_taken = set(Speaker.objects.values_list("slug", flat=True))
        slug = _unique_slug(Speaker, name, "speaker", taken=self._slugs_taken)
        self._slugs_taken.add(slug)
        return slug

    def _by_profile(self, profile):
        if profile and profile not in self.by_url:
            link = ProfileLink.objects.filter(normalised_url=profile).select_related("speaker")
            link = link.first()
            if link is not None:
                self.by_url[profile] = link.speaker
        return self.by_url.get(profile)

    def _add_profile(self, speaker, url, origin):
        """Give ``speaker`` this profile link (never a second row for the same URL)."""
        link = ProfileLink(
            speaker=speaker,
            url=url,
            kind=ProfileLink.kind_for_url(url),
            position=speaker.links.count(),
        )
        _clean(link, origin=origin, what=f"profile link of {speaker.name!r}")
        link.save()
        self.report.changed(speaker, {"profile links": (None, url)}, origin=origin)


def _assign(instance, values):
    """Set ``values`` on ``instance``; return ``{field: (old, new)}`` of those that changed."""
    changed = {
        name: (getattr(instance, name), value)
        for name, value in values.items()
        if getattr(instance, name) != value
    }
    for name, (_old, new) in changed.items():
        setattr(instance, name, new)
    return changed


def _position(row):
    return row.position


def _move_out_of_the_way(model, pks):
    if pks:
        model.objects.filter(pk__in=pks).update(position=F("position") + OUT_OF_THE_WAY)


def _related(session, name, *, created):
    """The rows of ``session``'s relation ``name``: none for a session this load created,
    else the rows prefetched with it (or one query)."""
    return [] if created else list(getattr(session, name).all())


def _unique_slug(model, name, fallback, *, taken):
    """``name`` slugified for ``model``, with ``-2``, ``-3``... when it is in ``taken``."""
    length = model._meta.get_field("slug").max_length - 10  # room for "-2", "-3"...
    base = slugify(name)[:length].rstrip("-") or fallback
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _clean(instance, *, what, origin=None, origins=None, exclude=None, validate_unique=True):
    """``full_clean()`` or ``SourceError`` naming where the offending value came from."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=validate_unique)
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        name, messages = next(iter(details.items()))
        origins = origins or {}
        where = (
            origin
            or origins.get(name)
            or origins.get("start_date" if name == "__all__" else "")
            or START
        )
        label = f"{what} {name}" if name and name != "__all__" else what
        raise SourceError(where, f"{label}: {' '.join(messages)}") from error
