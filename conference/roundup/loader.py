"""Write a parsed :class:`~conference.roundup.parser.Roundup` to the database, in one transaction.

Importing is idempotent: the event is found by slug, its sessions by slug within the event,
speakers by normalised profile URL and then by name (one person is one speaker across events),
sponsors by slug, recordings and slide decks by provider key. Whatever the post no longer lists
is removed from the event; nothing is written when nothing changed. What did change is
recorded in the admin history (see :mod:`.history`).

Ordered rows have unique positions, so rows that move are first bumped out of the way
(``position + 100000``) and then written at their final place.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from conference.caching import one_version_bump
from conference.models import Event, Sponsor, Sponsorship
from sessions.embeds import SlidesProvider
from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from speakers.models import ProfileLink, Speaker, normalise_profile_url

from .headings import name_key
from .history import ImportHistory, importer_account

OUT_OF_THE_WAY = 100_000
# Facts a post may leave unsaid: an empty value never erases what an organiser entered.
OPTIONAL_EVENT_FIELDS = (
    "start_date", "end_date", "venue", "city", "country", "website", "photo_gallery_url",
    "attendee_count", "country_count",
)  # fmt: skip


class LoadError(Exception):
    """The data does not fit the models (too long, invalid URL...); ``line`` is 1-based."""

    def __init__(self, line, message):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass
class LoadReport:
    """What an import did (or, in a dry run, would do)."""

    event: Event
    event_created: bool = False
    event_updated: bool = False
    sessions_created: int = 0
    sessions_updated: int = 0
    sessions_unchanged: int = 0
    sessions_deleted: int = 0
    speakers_created: int = 0
    speakers_updated: int = 0
    speakers_in_post: int = 0
    sponsors_created: int = 0
    sponsors_updated: int = 0
    recordings: int = 0
    recordings_added: int = 0
    recordings_removed: int = 0
    slide_decks: int = 0
    slide_decks_added: int = 0
    slide_decks_removed: int = 0
    session_actions: list[tuple[str, object]] = field(default_factory=list)
    deleted_sessions: list[str] = field(default_factory=list)


def load_roundup(*, roundup, publish=True, dry_run=False, recorded_by=None):
    """Create or update the event of ``roundup`` with everything in it; return a report.

    ``publish`` sets ``is_published`` on the event and its sessions; ``dry_run`` does all the
    work and then rolls it back, so the report says what would happen. The admin history
    records the changes under ``recorded_by`` (by default the importer's own account).
    """
    history = ImportHistory(source=roundup.filename)
    with transaction.atomic():
        with one_version_bump():
            event, created, updated = sync_event(roundup=roundup, publish=publish, history=history)
            report = LoadReport(event=event, event_created=created, event_updated=updated)
            sync_sponsors(event=event, sponsors=roundup.sponsors, report=report, history=history)
            sync_sessions(
                event=event,
                sessions=roundup.sessions,
                publish=publish,
                report=report,
                history=history,
            )
        if dry_run:
            transaction.set_rollback(True)
        elif history.changes:
            history.summarise(event, _summary(report))
            history.save(recorded_by or importer_account())
    return report


def _summary(report):
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


def sync_event(*, roundup, publish, history):
    """Find the event by slug (or create it) and set the facts the post states."""
    event = Event.objects.filter(slug=roundup.slug).first()
    if event is not None and not roundup.sessions and event.sessions.exists():
        raise LoadError(
            1,
            f"the post lists no sessions: importing it would delete all "
            f"{event.sessions.count()} sessions of {event.name!r}",
        )
    created = event is None
    if created:
        event = Event(slug=roundup.slug)
    values = {"name": roundup.name, "summary": roundup.summary, "is_published": publish}
    for name in OPTIONAL_EVENT_FIELDS:
        value = getattr(roundup, name)
        if value not in ("", None):
            values[name] = value
    changed = _assign(event, values)
    if created or changed:
        _clean(event, lines=roundup.lines, what="event")
        event.save()
    if created:
        history.added(event)
    else:
        history.changed(event, changed)
    return event, created, bool(changed) and not created


def sync_sponsors(*, event, sponsors, report, history):
    """Sponsors thanked in the post, in order; sponsorships of others are removed."""
    kept, sponsorships_changed = [], False
    for position, data in enumerate(sponsors):
        sponsor = Sponsor.objects.filter(slug=_sponsor_slug(data.name)).first()
        if sponsor is None:
            sponsor = Sponsor(name=data.name, slug=_sponsor_slug(data.name), website=data.url)
            _clean(sponsor, line=data.line, what=f"sponsor {data.name!r}")
            sponsor.save()
            report.sponsors_created += 1
            history.added(sponsor, line=data.line)
        elif data.url and _assign(sponsor, {"website": data.url}):
            _clean(sponsor, line=data.line, what=f"sponsor {data.name!r}")
            sponsor.save()
            report.sponsors_updated += 1
            history.changed(sponsor, ["website"], line=data.line)
        sponsorship = event.sponsorships.filter(sponsor=sponsor).order_by("tier").first()
        if sponsorship is None:
            sponsorship = Sponsorship(event=event, sponsor=sponsor, position=position)
            _clean(sponsorship, line=data.line, what=f"sponsor {data.name!r}")
            sponsorship.save()
            sponsorships_changed = True
        elif sponsorship.position != position:
            sponsorship.position = position
            sponsorship.save(update_fields=["position"])
            sponsorships_changed = True
        kept.append(sponsorship.pk)
    removed, _ = event.sponsorships.exclude(pk__in=kept).delete()
    if sponsorships_changed or removed:
        history.changed(event, ["sponsors"])


def sync_sessions(*, event, sessions, publish, report, history):
    """Create, update or delete the event's sessions so they match the post, in order."""
    existing = {session.slug: session for session in event.sessions.all()}
    wanted = {data.slug for data in sessions}
    stale = [session for slug, session in existing.items() if slug not in wanted]
    if stale:
        report.deleted_sessions = [session.title for session in stale]
        report.sessions_deleted = len(stale)
        for session in stale:
            history.deleted(session)
        Session.objects.filter(pk__in=[session.pk for session in stale]).delete()
    moving = [
        existing[data.slug].pk
        for data in sessions
        if data.slug in existing
        and (existing[data.slug].day, existing[data.slug].position) != (data.day, data.position)
    ]
    _move_out_of_the_way(Session.objects.filter(pk__in=moving))
    speakers = SpeakerDirectory(report=report, history=history)
    for data in sessions:
        session = existing.get(data.slug)
        created = session is None
        if created:
            session = Session(event=event, slug=data.slug)
        elif session.pk in moving:
            session.position += OUT_OF_THE_WAY  # what the database holds now
        values = {
            "title": data.title,
            "kind": data.kind,
            "day": data.day,
            "position": data.position,
            "description": data.description,
            "start_time": data.start_time,
            "is_published": publish,
        }
        changed = _assign(session, values)
        if created or changed:
            _clean(session, line=data.line, what="session")
            session.save()
        people = [speakers.resolve(ref=ref, line=data.line) for ref in data.speakers]
        if sync_session_speakers(session=session, speakers=people, line=data.line):
            changed.append("speakers")
        if sync_recordings(session=session, media=data.recordings, report=report):
            changed.append("recordings")
        if sync_slide_decks(session=session, media=data.slide_decks, report=report):
            changed.append("slide decks")
        if created:
            history.added(session, line=data.line)
        else:
            history.changed(session, changed, line=data.line)
        action = "created" if created else "updated" if changed else "unchanged"
        setattr(report, f"sessions_{action}", getattr(report, f"sessions_{action}") + 1)
        report.session_actions.append((action, data))
        report.recordings += len(data.recordings)
        report.slide_decks += len(data.slide_decks)
    report.speakers_in_post = len(speakers.seen)


def sync_session_speakers(*, session, speakers, line):
    """Link ``speakers`` to ``session`` in billing order; return whether anything changed."""
    order = list(dict.fromkeys(speaker.pk for speaker in speakers))  # one person once
    links = {link.speaker_id: link for link in session.session_speakers.all()}
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
            _clean(link, line=line, what="session speaker")
            link.save()
            added += 1
        elif link.pk in moving:
            link.position = position
            link.save(update_fields=["position"])
    return bool(stale or moving or added)


def sync_recordings(*, session, media, report):
    """Recordings of ``session`` in the post's order, matched by provider key."""
    added, removed, changed = _sync_media(
        model=Recording, rows=session.recordings.all(), session=session, media=media
    )
    report.recordings_added += added
    report.recordings_removed += removed
    return changed


def sync_slide_decks(*, session, media, report):
    """Slide decks of ``session`` in the post's order; uploaded PDFs are kept, after them."""
    linked = session.slide_decks.exclude(provider=SlidesProvider.PDF)
    added, removed, changed = _sync_media(
        model=SlideDeck, rows=list(linked), session=session, media=media
    )
    pdfs = list(session.slide_decks.filter(provider=SlidesProvider.PDF).order_by("position"))
    misplaced = [deck for index, deck in enumerate(pdfs) if deck.position != len(media) + index]
    if misplaced:
        _move_out_of_the_way(SlideDeck.objects.filter(pk__in=[deck.pk for deck in pdfs]))
        for index, deck in enumerate(pdfs):
            SlideDeck.objects.filter(pk=deck.pk).update(position=len(media) + index)
    report.slide_decks_added += added
    report.slide_decks_removed += removed
    return changed or bool(misplaced)


def _sync_media(*, model, rows, session, media):
    """Make ``rows`` (recordings or slide decks) match ``media``: (added, removed, changed)."""
    existing = {(row.provider, row.provider_key): row for row in rows}
    targets = {(item.provider, item.key): position for position, item in enumerate(media)}
    stale = [row.pk for key, row in existing.items() if key not in targets]
    moving = [
        row.pk for key, row in existing.items() if key in targets and row.position != targets[key]
    ]
    model.objects.filter(pk__in=stale).delete()
    # Uploaded PDFs may sit where the post's decks go; move them too, they are put back after.
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
            _clean(row, line=item.line, what=str(model._meta.verbose_name))
            row.save()
            added += 1
            continue
        if row.pk in moving:
            model.objects.filter(pk=row.pk).update(position=targets[key])
        if item.title and not row.title:  # a title set in the admin is kept
            model.objects.filter(pk=row.pk).update(title=item.title)
            titled += 1
    return added, len(stale), bool(added or stale or moving or titled)


class SpeakerDirectory:
    """Finds the one :class:`Speaker` for a person named in a heading, creating it if needed.

    Matching is by normalised profile URL first, then by name compared without case, accents
    or extra spaces, across the whole database and across the post (a name linked in one
    heading and bare in another is one speaker).
    """

    def __init__(self, *, report, history):
        self.report = report
        self.history = history
        self.by_url = {}
        self._by_name = None
        self.seen = set()
        self.created = set()
        self.updated = set()

    @property
    def by_name(self):
        if self._by_name is None:
            self._by_name = {}
            for speaker in Speaker.objects.order_by("pk"):
                self._by_name.setdefault(name_key(speaker.name), speaker)
        return self._by_name

    def resolve(self, *, ref, line):
        """The speaker for a :class:`~conference.roundup.headings.SpeakerRef`."""
        profile = normalise_profile_url(ref.url) if ref.url else ""
        speaker = self._by_profile(profile) or self.by_name.get(name_key(ref.name))
        if speaker is None:
            speaker = Speaker(name=ref.name, slug=_unique_slug(Speaker, ref.name, "speaker"))
            speaker.company = ref.company
            _clean(speaker, line=line, what=f"speaker {ref.name!r}")
            speaker.save()
            self.created.add(speaker.pk)
            self.report.speakers_created += 1
            self.history.added(speaker, line=line)
        elif ref.company and _assign(speaker, {"company": ref.company}):
            _clean(speaker, line=line, what=f"speaker {ref.name!r}")
            speaker.save(update_fields=["company", "updated_at"])
            self._mark_updated(speaker)
            self.history.changed(speaker, ["company"], line=line)
        if profile and profile not in self.by_url:
            self._add_profile(speaker, ref.url, line)
            self.by_url[profile] = speaker
        self.by_name.setdefault(name_key(ref.name), speaker)
        self.seen.add(speaker.pk)
        return speaker

    def _by_profile(self, profile):
        if profile and profile not in self.by_url:
            link = ProfileLink.objects.filter(normalised_url=profile).select_related("speaker")
            link = link.first()
            if link is not None:
                self.by_url[profile] = link.speaker
        return self.by_url.get(profile)

    def _add_profile(self, speaker, url, line):
        """Give ``speaker`` this profile link (never a second row for the same URL)."""
        link = ProfileLink(
            speaker=speaker,
            url=url,
            kind=ProfileLink.kind_for_url(url),
            position=speaker.links.count(),
        )
        _clean(link, line=line, what=f"profile link of {speaker.name!r}")
        link.save()
        self._mark_updated(speaker)
        if speaker.pk not in self.created:
            self.history.changed(speaker, ["profile links"], line=line)

    def _mark_updated(self, speaker):
        if speaker.pk not in self.created and speaker.pk not in self.updated:
            self.updated.add(speaker.pk)
            self.report.speakers_updated += 1


def _assign(instance, values):
    """Set ``values`` on ``instance``; return the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _move_out_of_the_way(queryset):
    queryset.update(position=F("position") + OUT_OF_THE_WAY)


def _sponsor_slug(name):
    return slugify(name)[:200] or "sponsor"


def _unique_slug(model, name, fallback):
    base = slugify(name)[:190].rstrip("-") or fallback
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _clean(instance, *, what, line=None, lines=None):
    """``full_clean()`` or ``LoadError`` naming the line the offending value came from."""
    try:
        instance.full_clean()
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        name, messages = next(iter(details.items()))
        lines = lines or {}
        where = line or lines.get(name) or lines.get("start_date" if name == "__all__" else "", 1)
        label = f"{what} {name}" if name and name != "__all__" else what
        raise LoadError(where, f"{label}: {' '.join(messages)}") from error
