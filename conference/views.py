"""Public views of events. Reads only: staff see drafts, everyone else published events."""

from django.views.generic import DetailView, ListView

from .models import Event


class EventListView(ListView):
    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).with_counts()


class EventDetailView(DetailView):
    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).with_counts()
