"""The URLs a schedule gives a session, sorted into recordings, slide decks and plain links.

A stand-in, to be replaced by ``readers/links.py`` when the branches merge: that module does
the same through the same interface, and adds media.ccc.de, direct video files (the .mp4 and
.webm of one talk merged into one recording) and the notes for video files on hosts not in
``VIDEO_FILE_HOSTS``. The Sessionize and CSV readers import :func:`classify_urls` from here
only, so the swap is one import line in each.
"""

from django.core.exceptions import ValidationError

from sessions.interchange.document import LinkItem, MediaItem
from sessions.providers import parse_slides, parse_video


def classify_urls(urls):
    """``(recordings, slide_decks, links)`` for ``[(url, title, origin), ...]``, in order.

    A URL of a video provider is a recording, one of a slides provider a slide deck (both
    through :mod:`sessions.providers`, as the admin recognises them); any other is a link.
    Two mentions of one video or deck are one item; a link given twice is one link.
    """
    recordings, slide_decks, links = [], [], []
    for url, title, origin in urls:
        found = _media(url)
        if found is None:
            if all(link.url != url for link in links):
                links.append(LinkItem(url=url, title=title, origin=origin))
            continue
        medium, ref = found
        media = MediaItem(ref.provider, ref.key, ref.url, origin)
        _add_once(recordings if medium == "video" else slide_decks, media)
    return recordings, slide_decks, links


def _media(url):
    for medium, parse in (("video", parse_video), ("slides", parse_slides)):
        try:
            return medium, parse(url)
        except ValidationError:
            continue
    return None


def _add_once(items, media):
    for index, known in enumerate(items):
        if known.is_same(media):
            items[index] = known.merged(media)
            return
    items.append(media)
