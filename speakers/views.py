"""Public views of speakers."""

from django.views.generic import DetailView, ListView

from .models import Speaker


class SpeakerListView(ListView):
    def get_queryset(self):
        return Speaker.objects.with_published_sessions()


class SpeakerDetailView(DetailView):
    def get_queryset(self):
        return Speaker.objects.all()
