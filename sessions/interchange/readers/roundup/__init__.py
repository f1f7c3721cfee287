"""Read a roundup blog post (Docusaurus Markdown, or the HTML of older posts) into an
:class:`~sessions.interchange.document.EventDocument`.

Nothing here touches the database. :func:`read` reads a file, :func:`parse` its text; both
raise :class:`~sessions.interchange.document.SourceError` with the line that is wrong.

The reading is driven by the format, not by one post: sessions are headings (any level,
Markdown or ``<hN>``, or a bold first line inside a "Sessions" section) that sit under a
day/sessions section, are followed by a video or slides, or name speakers. Older posts migrated
from the previous blog engine head sessions with a line that is only bold HTML
("<span><strong><a href=slides>Title</a> - Name</strong></span>"); some posts list sessions as
the rows of an agenda table ("| Time | Session | Speaker | Video |"), or name the speakers on a
"**Speaker:**" line under the heading, or only in the bio's profile link ("[Ravi](linkedin...)").

The modules, in the order a post is read: :mod:`.front_matter` (the YAML), :mod:`.body` (the
text after it), :mod:`.candidates` (what may head a session), :mod:`.structure` (which are
sessions, on which day), :mod:`.headings` (a session heading's title and speakers),
:mod:`.media` (recordings and slide decks), :mod:`.intro` and :mod:`.facts` (the event's facts),
:mod:`.inline` (links, embed codes and HTML, shared by all).
"""

from sessions.interchange.document import EventDocument
from sessions.interchange.files import read_text

from .body import RoundupBody, refusal
from .candidates import find_candidates
from .front_matter import event_name, read_front_matter
from .intro import read_intro
from .media import stray_embeds
from .structure import SessionWalk

__all__ = ["event_name", "parse", "read"]


def read(path):
    """Read and parse the post at ``path``."""
    return parse(read_text(path), filename=str(path))


def parse(text, *, filename):
    """Parse the text of a post; ``filename`` gives the slug when the front matter has none."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise refusal(1, "file is empty")
    front = read_front_matter(text, filename=filename)
    document = EventDocument(
        source=filename,
        source_key=front.slug,
        title=front.title,
        name=event_name(front.title),
        post_date=front.post_date,
        origins=dict(front.origins),
    )
    body = RoundupBody(text, front.body_start)
    structure = SessionWalk(body, document).walk(find_candidates(body))
    document.sessions = structure.sessions
    first = structure.first_structure
    intro_end = first if first is not None else len(text)
    read_intro(body, document, body.body_start, intro_end, structure.other_sections)
    stray_embeds(body, document, structure.ranges)
    return document
