"""RSS and Atom feeds of newly published recordings, through Django's syndication framework.

Items are the newest recordings of published sessions of published events, read in a fixed
number of queries; the framework writes (and escapes) the XML.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from conference.markup import markdown_to_text

from .models import Recording, Session, speakers_in_billing_order

FEED_LENGTH = 50
DESCRIPTION_WORDS = 40


class RecordingsFeed(Feed):
    title = "New recordings"
    link = reverse_lazy("conference:event_list")
    description = "Recordings of conference sessions, newest first."

    def items(self):
        published = Session.objects.published()
        return (
            Recording.objects.filter(session__in=published)
            .select_related("session__event")
            .prefetch_related(speakers_in_billing_order("session__session_speakers"))
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return f"{item.session.title} \N{EM DASH} {item.session.event.name}"

    def item_description(self, item):
        speakers = ", ".join(speaker.name for speaker in item.session.ordered_speakers)
        text = Truncator(markdown_to_text(item.session.description)).words(DESCRIPTION_WORDS)
        return "\n\n".join(part for part in (speakers, text) if part)

    def item_link(self, item):
        return f"{item.session.get_absolute_url()}#recording-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at  # Atom requires <updated>; a recording is not edited in place


class RecordingsAtomFeed(RecordingsFeed):
    feed_type = Atom1Feed
    subtitle = RecordingsFeed.description
