"""Public views of speakers: the A to Z index and each speaker's page."""

import unicodedata
from itertools import groupby

from django.views.generic import DetailView, ListView

from .models import Speaker


def index_letter(name):
    """The letter a name is filed under: ``Émile`` under E, anything else not A to Z under #."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).upper()[:1]
    return first if "A" <= first <= "Z" else "#"


class SpeakerListView(ListView):
    def get_queryset(self):
        return Speaker.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sorted here, not in SQL: collations differ between databases, the index must not.
        speakers = sorted(
            context["object_list"],
            key=lambda speaker: (index_letter(speaker.name), speaker.name.casefold()),
        )
        context["letters"] = [
            (letter, list(group))
            for letter, group in groupby(speakers, key=lambda speaker: index_letter(speaker.name))
        ]
        return context


class SpeakerDetailView(DetailView):
    def get_queryset(self):
        return Speaker.objects.visible_to(self.request.user).prefetch_related("links")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = list(self.object.sessions.visible_to(self.request.user).for_speaker_page())
        context["sessions"] = sessions
        context["is_draft"] = not any(
            session.is_published and session.event.is_published for session in sessions
        )
        return context
