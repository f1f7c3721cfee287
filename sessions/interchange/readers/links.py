"""A session's links, sorted: recordings, slide decks and plain links, for every schedule reader.

Schedules name a talk's video and slides as links (frab's ``<links>`` and ``<attachments>``,
Sessionize's and a spreadsheet's URL columns). :func:`classify_urls` recognises each link with
the site's own URL recognition (:func:`sessions.providers.parse_video` and
:func:`~sessions.providers.parse_slides`, the table the admin uses), so a link that plays here
becomes a recording and one that shows a deck becomes a slide deck; anything else stays a
:class:`~sessions.interchange.document.LinkItem`.

Rules:

- The same video file in several containers (``talk.mp4`` and ``talk.webm``, or FOSDEM's
  ``talk.av1.webm`` beside ``talk.mp4``: the same URL without its extensions) is one recording:
  the first container of :data:`CONTAINER_PREFERENCE` that plays is its URL, the others its
  ``alternate_urls`` (a ``<video>`` plays the first source it can: MP4 plays everywhere).
- A video file the site refuses to play (its host is not in ``VIDEO_FILE_HOSTS``) is kept as
  a link, and counted: one :class:`LinkNotes` per document gathers them, and
  :meth:`LinkNotes.notes` says once per host which setting would play them.
- A link that is not a web address (``javascript:``, ``mailto:``, a relative path the reader
  could not resolve) is left out, counted in the notes too.
- A URL given twice is kept once, with the first title given.

Usage by a reader::

    notes = LinkNotes()
    recordings, slide_decks, links = classify_urls([(url, title, origin), ...], notes=notes)
    ...
    document.notes.extend(notes.notes())
"""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from conference.validators import validate_web_address
from sessions.interchange.document import LinkItem, MediaItem, Note, Origin
from sessions.providers import parse_slides, parse_video

# Containers of a video file browsers play, best first: the first that plays is the
# recording's URL, the others its further sources.
CONTAINER_PREFERENCE = (".mp4", ".m4v", ".webm", ".ogv")
# What producers put between the name and the container (FOSDEM: "talk.av1.webm"), ignored
# when deciding whether two files are the same video.
CODEC_SUFFIXES = (".av1", ".vp8", ".vp9", ".h264", ".h265", ".hevc", ".x264")
# At most this many further sources of one recording (the models keep a few, not a list).
MAX_ALTERNATE_URLS = 4
MAX_URL_LENGTH = 500  # SessionLink.url's max_length
MAX_TITLE_LENGTH = 300  # SessionLink.title's and the media titles' max_length


@dataclass(frozen=True)
class Candidate:
    """A link as a source gives it: address, the title shown for it, where it is.

    ``title_is_label``: the title only says where the link was (a "Recording" field, a
    "slides" column), so a recording or deck made of it gets none; a plain link keeps it.
    """

    url: str
    title: str
    origin: Origin
    title_is_label: bool = False


class LinkNotes:
    """What one document's links leave out, gathered over all its sessions, as notes: one per
    host of video files that do not play here, one per kind of link left out."""

    def __init__(self):
        self.unplayed = Counter()  # host -> video files on it kept as links
        self.unplayed_origin = {}  # host -> where the first one is
        self.dropped = Counter()  # reason -> links left out
        self.dropped_origin = {}

    def unplayed_video(self, host, origin):
        self.unplayed[host] += 1
        self.unplayed_origin.setdefault(host, origin)

    def left_out(self, reason, origin):
        """Count a link left out for ``reason`` (a phrase: "not a web address")."""
        self.dropped[reason] += 1
        self.dropped_origin.setdefault(reason, origin)

    def notes(self):
        """The notes for the document, each at the first link it is about."""
        notes = [
            Note(
                self.unplayed_origin[host],
                f"{count} video link{'s' if count != 1 else ''} on {host} kept as "
                f"{'links' if count != 1 else 'a link'}: add the host to VIDEO_FILE_HOSTS to "
                f"play {'them' if count != 1 else 'it'}",
            )
            for host, count in self.unplayed.items()
        ]
        notes += [
            Note(self.dropped_origin[reason], f"{count} link{'s' if count != 1 else ''} left "
                 f"out: {reason}")
            for reason, count in self.dropped.items()
        ]  # fmt: skip
        return notes


def classify_urls(candidates, *, notes=None):
    """``(recordings, slide_decks, links)`` of a session from its links, in the order given.

    ``candidates`` are :class:`Candidate` or ``(url, title, origin)`` tuples; ``notes`` (a
    :class:`LinkNotes`) counts what is left out or not played, for the whole document.
    """
    notes = notes if notes is not None else LinkNotes()
    recordings, slide_decks, links = [], [], []
    files = {}  # the stem of a video file -> its candidates, in order
    order = []  # what to classify, in order: a Candidate, or a stem (a group of video files)
    seen = set()
    for candidate in candidates:
        candidate = _candidate(candidate)
        url = candidate.url
        if not url or url in seen:
            continue
        seen.add(url)
        problem = _problem(url)
        if problem:
            notes.left_out(problem, candidate.origin)
            continue
        stem = video_file_stem(url)
        if stem is None:
            order.append(candidate)
        elif stem in files:
            files[stem].append(candidate)
        else:
            files[stem] = [candidate]
            order.append(stem)
    for item in order:
        if isinstance(item, Candidate):
            _classify_one(item, recordings, slide_decks, links)
        else:
            _classify_files(files[item], recordings, links, notes)
    return recordings, slide_decks, links


def _candidate(value):
    if isinstance(value, Candidate):
        url, title, origin, is_label = value.url, value.title, value.origin, value.title_is_label
    else:
        (url, title, origin), is_label = value, False
    title = " ".join((title or "").split())[:MAX_TITLE_LENGTH]
    return Candidate((url or "").strip(), title, origin, is_label)


def _problem(url):
    """Why ``url`` cannot be kept as a link, or ``""``."""
    if len(url) > MAX_URL_LENGTH:
        return f"longer than {MAX_URL_LENGTH} characters"
    try:
        validate_web_address(url)
    except ValidationError:
        return "not a web address (http or https)"
    return ""


def video_file_stem(url):
    """What the containers of one video file share (host, path without container and codec
    extensions, query), or ``None`` when ``url`` is not a link to a video file."""
    parts = urlsplit(url)
    path = parts.path
    extension = next((e for e in CONTAINER_PREFERENCE if path.lower().endswith(e)), None)
    if extension is None:
        return None
    path = path[: -len(extension)]
    codec = next((c for c in CODEC_SUFFIXES if path.lower().endswith(c)), None)
    if codec:
        path = path[: -len(codec)]
    return ((parts.hostname or "").lower().rstrip("."), path, parts.query)


def _container_rank(candidate):
    path = urlsplit(candidate.url).path.lower()
    return next(i for i, e in enumerate(CONTAINER_PREFERENCE) if path.endswith(e))


def _recognised(parse, url):
    try:
        return parse(url)
    except ValidationError:
        return None


def _media(ref, candidate, alternate_urls=()):
    return MediaItem(
        ref.provider,
        ref.key,
        ref.url,
        candidate.origin,
        title="" if candidate.title_is_label else candidate.title,
        alternate_urls=tuple(alternate_urls),
    )


def _add(items, item):
    """Add a recording or deck, merged into one already there for the same media."""
    for index, existing in enumerate(items):
        if existing.is_same(item):
            items[index] = existing.merged(item)
            return
    items.append(item)


def _classify_one(candidate, recordings, slide_decks, links):
    video = _recognised(parse_video, candidate.url)
    if video:
        _add(recordings, _media(video, candidate))
        return
    deck = _recognised(parse_slides, candidate.url)
    if deck:
        _add(slide_decks, _media(deck, candidate))
        return
    links.append(LinkItem(candidate.url, candidate.title, candidate.origin))


def _classify_files(group, recordings, links, notes):
    """One video in one or more containers: one recording of those that play, the others
    (and all of them, when none plays) links, counted by host."""
    playing = []
    for candidate in sorted(group, key=_container_rank):
        ref = _recognised(parse_video, candidate.url)
        if ref:
            playing.append((ref, candidate))
        else:
            links.append(LinkItem(candidate.url, candidate.title, candidate.origin))
            host = (urlsplit(candidate.url).hostname or "").lower().rstrip(".")
            notes.unplayed_video(host, candidate.origin)
    if not playing:
        return
    (ref, first), *others = playing
    alternates = [other.url for other, _ in others if other.url != ref.url]
    alternates = list(dict.fromkeys(alternates))[:MAX_ALTERNATE_URLS]
    title = first.title or next((c.title for _, c in others if c.title), "")
    _add(recordings, _media(ref, Candidate(first.url, title, first.origin), alternates))
