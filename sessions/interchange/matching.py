"""Videos of a list matched to an event's sessions, and the confident ones attached.

:func:`match_videos` scores every video of a :class:`~.video_lists.VideoList` against the
event's sessions and gives one :class:`Match` per video; :func:`attach_recordings` writes the
chosen ones as recordings, in one transaction, with an entry in each session's admin history.
The command (``attach_recordings``) and the admin page (sessions/admin_recordings.py) both call
these two.

Rules:

- A video already attached to a session of the event (the same provider and key) is
  :data:`ALREADY_ATTACHED`, whatever its title says: running the same list again attaches
  nothing twice. A video listed twice in one file counts once (:data:`LISTED_TWICE`).
- A video of a schedule (frab) whose session guid is one of the event's is that session's.
- Otherwise titles are compared once normalised (:func:`normalise`: no case, accents or
  punctuation) and cleaned of what video titles add around the talk's title: the event's name,
  "Day 2", "Room A", "[1080p]"... (:func:`title_variants`). The speakers of each candidate
  session named in the video's title are taken out of it, and count for the match, as do the
  speakers a list names (a CSV's speakers column, a schedule's persons): a video naming one
  of the event's speakers is less likely to be a session that person is not in.
- The score (0-100) is the mean of rapidfuzz's ``token_sort_ratio`` (the same words, in any
  order) and ``token_set_ratio`` (one title holds the other), plus :data:`SPEAKER_BONUS` when
  a session's speaker is named, minus :data:`SPEAKER_PENALTY` when the video names speakers
  (in the list, or the event's speakers in its title) and none is the session's. A part of
  the title alone ("Title" of "Title - Some Name") scores :data:`PART_PENALTY` less than the
  whole.
- :data:`CONFIDENT`: a best score of at least :data:`CONFIDENT_SCORE`, ahead of the second by
  at least :data:`CLEAR_MARGIN`. :data:`AMBIGUOUS`: otherwise, the sessions scoring at least
  :data:`CANDIDATE_SCORE` (at most :data:`MAX_CANDIDATES`), for the organiser to choose from.
  :data:`UNMATCHED`: none scores that much.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from rapidfuzz import fuzz, process

from conference.caching import one_version_bump
from sessions.models import Recording, Session
from sessions.providers import VideoProvider

from .history import OBJECT_REPR_LENGTH, importer_account

CONFIDENT_SCORE = 90
CLEAR_MARGIN = 5
CANDIDATE_SCORE = 70
MAX_CANDIDATES = 5
SPEAKER_BONUS = 8
SPEAKER_PENALTY = 10
PART_PENALTY = 8
# Sessions rapidfuzz's quick pass keeps for each video, before the full score.
SHORTLIST = 12
SHORTLIST_CUTOFF = 40

CONFIDENT = "attach"
ALREADY_ATTACHED = "already attached"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
LISTED_TWICE = "listed twice"

# What separates the parts of a video title: "Event - Title - Speaker", "Speaker: Title".
PART_SEPARATORS = re.compile(
    r"\s+[-\u2013\u2014|\u00b7\u2022~/]\s+|\s*[|\u2022\u00b7]\s*|(?<=\w)[:\u2013\u2014]\s+"
)
BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
# A part that names where or when, or the video's quality, never the talk (once normalised).
NOISE_PART = re.compile(
    r"^(?:(?:day|tag|track|room|hall|saal|stage|talk|session|part|lecture|episode|ep|no)"
    r"\s*[a-z0-9]{0,3}|\d{1,4}(?: \d{1,2}){0,2}|hd|uhd|4k|\d{3,4}p|full talk|recording|"
    r"video|live|livestream|stream|official|keynote recording)$"
)
# Words left at either end once speaker names are taken out ("Title by Jane Doe").
NAME_CONNECTORS = {"by", "with", "and", "feat", "ft", "from", "presented", "von", "par", "con"}


def normalise(text):
    """``text`` to compare: no case, accents or punctuation, single spaces
    ("Café: ¿Qué?" is "cafe que")."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (
        c if c.isalnum() else " " for c in decomposed.casefold() if not unicodedata.combining(c)
    )
    return " ".join("".join(kept).split())


def event_names(event):
    """The event's name as video titles give it: in full, without its year, its slug."""
    names = {normalise(event.name), normalise(event.slug)}
    names |= {re.sub(r"\s*\b\d{2,4}\b\s*", " ", name).strip() for name in set(names)}
    return {name for name in names if name}


def _is_noise(part, names):
    return not part or bool(NOISE_PART.match(part)) or _is_event_name(part, names)


def _is_event_name(part, names):
    """``part`` is the event's name, maybe with a day or year ("pycon 2024 day 2")."""
    for name in names:
        if part == name or fuzz.ratio(part, name) >= CONFIDENT_SCORE:
            return True
        if part.startswith(name + " ") and _is_noise(part[len(name) + 1 :], ()):
            return True
    return False


def title_variants(title, names):
    """``(whole, parts)`` of a video's title, normalised: ``whole`` without the parts that name
    the event, a day, a room or the quality, and ``parts`` the other parts (when there are
    several), each of which may be the talk's title alone."""
    text = BRACKETS.sub(
        lambda match: " " if _is_noise(normalise(match.group(1)), names) else match.group(0),
        title,
    )
    parts = [normalise(part) for part in PART_SEPARATORS.split(text)]
    kept = [part for part in parts if not _is_noise(part, names)] or [p for p in parts if p]
    whole = " ".join(kept)
    for name in sorted(names, key=len, reverse=True):  # "PyCon 2024 Intro to X", no separator
        if whole.startswith(name + " "):
            whole = whole[len(name) + 1 :]
        if whole.endswith(" " + name):
            whole = whole[: -len(name) - 1]
    return whole, kept if len(kept) > 1 else []


def _contains_words(text, words):
    return bool(words) and f" {words} " in f" {text} "


def _without(text, words):
    return " ".join(f" {text} ".replace(f" {words} ", " ").split())


def _trim_connectors(text):
    tokens = text.split()
    while tokens and tokens[0] in NAME_CONNECTORS:
        tokens.pop(0)
    while tokens and tokens[-1] in NAME_CONNECTORS:
        tokens.pop()
    return " ".join(tokens)


def _similarity(first, second):
    if not first or not second:
        return 0.0
    return (fuzz.token_sort_ratio(first, second) + fuzz.token_set_ratio(first, second)) / 2


@dataclass(frozen=True)
class Candidate:
    """A session a video may be of, and how well it matches (0-100)."""

    session: Session
    score: int


@dataclass
class Match:
    """What became of one video: its ``outcome``, the ``session`` it goes to (or is attached
    to already), and the ``candidates`` it was compared with, best first."""

    video: object  # a video_lists.Video
    outcome: str
    session: Session | None = None
    candidates: list[Candidate] = field(default_factory=list)
    by_guid: bool = False

    @property
    def score(self):
        return self.candidates[0].score if self.candidates else None


@dataclass(frozen=True)
class _Target:
    """A session as the matcher compares it: normalised title and speaker names."""

    session: Session
    title: str
    speakers: tuple[str, ...]


def video_identity(provider, key):
    """What makes two recordings one video: provider and key (a Vimeo key without the hash
    an unlisted video adds)."""
    if provider == VideoProvider.VIMEO:
        key = key.split("/")[0]
    return provider, key


def attached_videos(event):
    """``{video identity: session}`` for every recording of the event's sessions."""
    recordings = Recording.objects.filter(session__event=event).select_related("session")
    return {
        video_identity(recording.provider, recording.provider_key): recording.session
        for recording in recordings
    }


def match_videos(event, video_list):
    """One :class:`Match` per video of ``video_list``, in its order (reads, never writes)."""
    sessions = list(event.sessions.with_speakers().order_by("day", "starts_at", "position"))
    targets = [
        _Target(
            session,
            normalise(session.title),
            tuple(name for s in session.ordered_speakers if (name := normalise(s.name))),
        )
        for session in sessions
    ]
    by_guid = {target.session.guid: target.session for target in targets}
    by_speaker = {}
    for index, target in enumerate(targets):
        for name in target.speakers:
            by_speaker.setdefault(name, set()).add(index)
    titles = [target.title for target in targets]
    names = event_names(event)
    attached = attached_videos(event)
    listed = set()
    matches = []
    for video in video_list.videos:
        identity = video_identity(video.ref.provider, video.ref.key)
        if identity in attached:
            matches.append(Match(video, ALREADY_ATTACHED, session=attached[identity]))
            continue
        if identity in listed:
            matches.append(Match(video, LISTED_TWICE))
            continue
        listed.add(identity)
        if video.guid is not None and video.guid in by_guid:
            session = by_guid[video.guid]
            matches.append(Match(video, CONFIDENT, session, [Candidate(session, 100)], True))
            continue
        candidates = _candidates(video, targets, titles, by_speaker, names)
        matches.append(_decide(video, candidates))
    return matches


def _candidates(video, targets, titles, by_speaker, names):
    """The sessions that may be ``video``'s, scored, best first."""
    whole, parts = title_variants(video.title, names)
    named_speakers = {name for name in map(normalise, video.speakers) if name}
    named_speakers |= {name for name in by_speaker if _contains_words(whole, name)}
    shortlist = {
        index
        for _choice, _score, index in process.extract(
            whole, titles, scorer=fuzz.WRatio, limit=SHORTLIST, score_cutoff=SHORTLIST_CUTOFF
        )
    }
    for name in named_speakers:
        shortlist |= by_speaker.get(name, set())
    candidates = [
        Candidate(targets[index].session, _score(targets[index], whole, parts, named_speakers))
        for index in shortlist
    ]
    order = {target.session.pk: position for position, target in enumerate(targets)}
    return sorted(candidates, key=lambda c: (-c.score, order[c.session.pk]))


def _score(target, whole, parts, named_speakers):
    """``named_speakers``: the names the list gives the video, and those of the event's
    speakers its title contains."""
    named = [name for name in target.speakers if _contains_words(whole, name)]
    text = whole
    for name in named:
        text = _without(text, name)
    text = _trim_connectors(text)
    score = _similarity(text, target.title)
    for part in parts:
        if part not in named:
            score = max(score, _similarity(part, target.title) - PART_PENALTY)
    if named_speakers & set(target.speakers):
        score += SPEAKER_BONUS
    elif named_speakers and target.speakers:
        score -= SPEAKER_PENALTY
    return max(0, min(100, round(score)))


def _decide(video, candidates):
    if not candidates or candidates[0].score < CANDIDATE_SCORE:
        return Match(video, UNMATCHED, candidates=candidates[:1])
    best = candidates[0]
    runner_up = candidates[1].score if len(candidates) > 1 else 0
    if best.score >= CONFIDENT_SCORE and best.score - runner_up >= CLEAR_MARGIN:
        return Match(video, CONFIDENT, best.session, candidates[:MAX_CANDIDATES])
    close = [c for c in candidates if c.score >= CANDIDATE_SCORE][:MAX_CANDIDATES]
    return Match(video, AMBIGUOUS, candidates=close)


# Writing -------------------------------------------------------------------------------------


class AttachError(Exception):
    """A recording could not be stored (the database refused it): nothing was written."""


@dataclass(frozen=True)
class Attached:
    """A recording :func:`attach_recordings` stored, or found attached already."""

    video: object
    session: Session
    recording: Recording | None  # None: the video was attached already (nothing written)


def attach_recordings(*, event, choices, source, user=None):
    """Attach each ``(video, session)`` of ``choices`` as a new recording of the session (at
    its next position), in one transaction, with an entry in the session's admin history under
    ``user`` (else the importer's account). A video the event has already, or that comes twice,
    is left as it is. Returns an :class:`Attached` per choice; ``AttachError`` writes nothing.
    """
    source = Path(source).name
    results = []
    with transaction.atomic(), one_version_bump():
        attached = attached_videos(event)
        sessions = {session.pk for session in event.sessions.all()}
        next_position = dict(
            Recording.objects.filter(session__event=event)
            .values("session")
            .annotate(last=Max("position"))
            .values_list("session", "last")
        )
        for video, session in choices:
            if session.pk not in sessions:
                raise AttachError(f"“{session}” is not a session of {event}")
            identity = video_identity(video.ref.provider, video.ref.key)
            if identity in attached:
                results.append(Attached(video, attached[identity], None))
                continue
            position = next_position.get(session.pk, -1) + 1
            recording = Recording(session=session, url=video.ref.url, position=position)
            try:
                recording.full_clean()
            except ValidationError as error:
                message = " ".join(error.messages)
                raise AttachError(f"{video.origin}: {video.ref.url}: {message}") from None
            recording.save()
            next_position[session.pk] = position
            attached[identity] = session
            results.append(Attached(video, session, recording))
        _record_history([result for result in results if result.recording], source, user)
    return results


def _record_history(results, source, user):
    if not results:
        return
    user = user or importer_account()
    content_type = ContentType.objects.get_for_model(Session)
    LogEntry.objects.bulk_create(
        LogEntry(
            user=user,
            content_type=content_type,
            object_id=str(result.session.pk),
            object_repr=str(result.session)[:OBJECT_REPR_LENGTH],
            action_flag=CHANGE,
            change_message=(
                f"Recording attached from {source}, {result.video.origin}: "
                f"{result.recording.url} (“{result.video.title}”)."
            ),
        )
        for result in results
    )
