"""Public views of sessions."""

from django.views.generic import DetailView

from .models import Session


class SessionDetailView(DetailView):
    def get_queryset(self):
        return (
            Session.objects.visible_to(self.request.user)
            .filter(event__slug=self.kwargs["event_slug"])
            .for_roundup()
        )
