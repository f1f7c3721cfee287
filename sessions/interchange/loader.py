"""Write an :class:`~.document.EventDocument` to the database, in one transaction.

Importing is idempotent: the event is found by its source key (its slug), its sessions by
theirs within the event, speakers by normalised profile URL and then by name (one person is one
speaker across events), sponsors by slug, recordings and slide decks by provider key. Whatever
the document no longer lists is removed from the event; nothing is written when nothing
changed. Every change is recorded in the :class:`~.report.LoadReport` returned, from which the
admin history is written once the load is done (see :mod:`.history`).

Ordered rows have unique positions, so rows that move are first bumped out of the way
(``position + 100000``) and then written at their final place.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from conference.caching import one_version_bump
from conference.models import Event, Sponsor, Sponsorship
from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from sessions.providers import SlidesProvider
from speakers.models import ProfileLink, Speaker, normalise_profile_url

from .document import START, SourceError, name_key
from .history import record_history
from .report import LoadReport

OUT_OF_THE_WAY = 100_000
# Facts a document may leave unsaid: an empty value never erases what an organiser entered.
OPTIONAL_EVENT_FIELDS = (
    "start_date", "end_date", "venue", "city", "country", "website", "photo_gallery_url",
    "attendee_count", "country_count",
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
            sync_sponsors(event=report.event, sponsors=document.sponsors, report=report)
            sync_sessions(
                event=report.event, sessions=document.sessions, publish=publish, report=report
            )
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


def sync_sessions(*, event, sessions, publish, report):
    """Create, update or delete the event's sessions so they match the document, in order."""
    existing = {session.slug: session for session in event.sessions.all()}
    wanted = {item.source_key for item in sessions}
    stale = [session for slug, session in existing.items() if slug not in wanted]
    if stale:
        for session in stale:
            report.deleted(session)
        Session.objects.filter(pk__in=[session.pk for session in stale]).delete()
    moving = [
        existing[item.source_key].pk
        for item in sessions
        if item.source_key in existing
        and (existing[item.source_key].day, existing[item.source_key].position)
        != (item.day, item.position)
    ]
    _move_out_of_the_way(Session.objects.filter(pk__in=moving))
    speakers = SpeakerDirectory(report=report)
    for item in sessions:
        sync_session(
            event=event,
            item=item,
            publish=publish,
            report=report,
            speakers=speakers,
            existing=existing.get(item.source_key),
            moving=moving,
        )
    report.speakers_in_post = len(speakers.seen)


def sync_session(*, event, item, publish, report, speakers, existing, moving):
    """One session with its speakers, recordings and slide decks."""
    session = existing
    created = session is None
    if created:
        session = Session(event=event, slug=item.source_key)
    elif session.pk in moving:
        session.position += OUT_OF_THE_WAY  # what the database holds now
    values = {
        "title": item.title,
        "kind": item.kind,
        "day": item.day,
        "position": item.position,
        "description": item.description,
        "starts_at": _starts_at(event, item),
        "is_published": publish,
    }
    changed = _assign(session, values)
    if created or changed:
        _clean(session, origin=item.origin, what="session")
        session.save()
    people = [speakers.resolve(item=speaker) for speaker in item.speakers]
    for name, relation in (
        ("speakers", sync_session_speakers(session=session, speakers=people, origin=item.origin)),
        ("recordings", sync_recordings(session=session, media=item.recordings, report=report)),
        ("slide decks", sync_slide_decks(session=session, media=item.slide_decks, report=report)),
    ):
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


def sync_session_speakers(*, session, speakers, origin):
    """Link ``speakers`` to ``session`` in billing order; ``(old, new)`` speaker keys if that
    changed anything, else ``None``."""
    order = list(dict.fromkeys(speaker.pk for speaker in speakers))  # one person once
    links = {link.speaker_id: link for link in session.session_speakers.all()}
    before = tuple(link.speaker_id for link in sorted(links.values(), key=_position))
    stale = [link.pk for speaker_id, link in links.items() if speaker_id not in order]
    moving = [
        link.pk
        for speaker_id, link in links.items()
        if speaker_id in order and link.position != order.index(speaker_id)
    ]
    SessionSpeaker.objects.filter(pk__in=stale).delete()
    _move_out_of_the_way(SessionSpeaker.objects.filter(pk__in=moving))
    added = 0
    for position, speaker_id in enumerate(order):
        link = links.get(speaker_id)
        if link is None:
            link = SessionSpeaker(session=session, speaker_id=speaker_id, position=position)
            _clean(link, origin=origin, what="session speaker")
            link.save()
            added += 1
        elif link.pk in moving:
            link.position = position
            link.save(update_fields=["position"])
    return (before, tuple(order)) if stale or moving or added else None


def sync_recordings(*, session, media, report):
    """Recordings of ``session`` in the document's order, matched by provider key."""
    return _sync_media(
        model=Recording, rows=session.recordings.all(), session=session, media=media, report=report
    )


def sync_slide_decks(*, session, media, report):
    """Slide decks of ``session`` in the document's order; uploaded PDFs are kept, after them."""
    linked = session.slide_decks.exclude(provider=SlidesProvider.PDF)
    changed = _sync_media(
        model=SlideDeck, rows=list(linked), session=session, media=media, report=report
    )
    pdfs = list(session.slide_decks.filter(provider=SlidesProvider.PDF).order_by("position"))
    misplaced = [deck for index, deck in enumerate(pdfs) if deck.position != len(media) + index]
    if misplaced:
        _move_out_of_the_way(SlideDeck.objects.filter(pk__in=[deck.pk for deck in pdfs]))
        for index, deck in enumerate(pdfs):
            SlideDeck.objects.filter(pk=deck.pk).update(position=len(media) + index)
    if changed is None and misplaced:
        keys = tuple((item.provider, item.key) for item in media)
        changed = (keys, keys)  # only the uploaded PDFs moved behind them
    return changed


def _sync_media(*, model, rows, session, media, report):
    """Make ``rows`` (recordings or slide decks) match ``media``; ``(old, new)`` provider keys
    in order if anything changed, else ``None``."""
    existing = {(row.provider, row.provider_key): row for row in rows}
    before = tuple(key for key, _row in sorted(existing.items(), key=lambda kv: kv[1].position))
    targets = {(item.provider, item.key): position for position, item in enumerate(media)}
    stale = [row for key, row in existing.items() if key not in targets]
    moving = [
        row.pk for key, row in existing.items() if key in targets and row.position != targets[key]
    ]
    for row in stale:
        report.deleted(row)
    model.objects.filter(pk__in=[row.pk for row in stale]).delete()
    # Uploaded PDFs may sit where the document's decks go; move them too, they are put back after.
    blocking = model.objects.filter(session=session, position__lt=len(media)).exclude(
        pk__in=[row.pk for row in existing.values()]
    )
    _move_out_of_the_way(model.objects.filter(pk__in=moving) | blocking)
    added = titled = 0
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
            _clean(row, origin=item.origin, what=str(model._meta.verbose_name))
            row.save()
            report.created(row, origin=item.origin)
            added += 1
            continue
        if row.pk in moving:
            model.objects.filter(pk=row.pk).update(position=targets[key])
        if item.title and not row.title:  # a title set in the admin is kept
            model.objects.filter(pk=row.pk).update(title=item.title)
            report.changed(row, {"title": (row.title, item.title)}, origin=item.origin)
            titled += 1
    if not (added or stale or moving or titled):
        return None
    return before, tuple(targets)


class SpeakerDirectory:
    """Finds the one :class:`Speaker` for a person the document names, creating it if needed.

    Matching is by normalised profile URL first, then by name compared without case, accents
    or extra spaces, across the whole database and across the document (a name linked in one
    heading and bare in another is one speaker).
    """

    def __init__(self, *, report):
        self.report = report
        self.by_url = {}
        self._by_name = None
        self.seen = set()

    @property
    def by_name(self):
        if self._by_name is None:
            self._by_name = {}
            for speaker in Speaker.objects.order_by("pk"):
                self._by_name.setdefault(name_key(speaker.name), speaker)
        return self._by_name

    def resolve(self, *, item):
        """The speaker for a :class:`~.document.SpeakerItem`."""
        origin = item.origin
        what = f"speaker {item.name!r}"
        profile = normalise_profile_url(item.url) if item.url else ""
        speaker = self._by_profile(profile) or self.by_name.get(name_key(item.name))
        if speaker is None:
            speaker = Speaker(name=item.name, slug=_unique_slug(Speaker, item.name, "speaker"))
            speaker.company = item.company
            _clean(speaker, origin=origin, what=what)
            speaker.save()
            self.report.created(speaker, origin=origin)
        elif item.company and (changed := _assign(speaker, {"company": item.company})):
            _clean(speaker, origin=origin, what=what)
            speaker.save(update_fields=["company", "updated_at"])
            self.report.changed(speaker, changed, origin=origin)
        if profile and profile not in self.by_url:
            self._add_profile(speaker, item.url, origin)
            self.by_url[profile] = speaker
        self.by_name.setdefault(name_key(item.name), speaker)
        self.seen.add(speaker.pk)
        return speaker

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


def _move_out_of_the_way(queryset):
    queryset.update(position=F("position") + OUT_OF_THE_WAY)


def _unique_slug(model, name, fallback):
    length = model._meta.get_field("slug").max_length - 10  # room for "-2", "-3"...
    base = slugify(name)[:length].rstrip("-") or fallback
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _clean(instance, *, what, origin=None, origins=None):
    """``full_clean()`` or ``SourceError`` naming where the offending value came from."""
    try:
        instance.full_clean()
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
