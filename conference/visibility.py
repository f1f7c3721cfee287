"""Who sees drafts on the public site: staff previewing them; everyone else only what is published.

Every app's ``visible_to(user)`` asks :func:`user_sees_drafts`, so the rule is written once.
"""

from django.db import models


def user_sees_drafts(user):
    """Whether ``user`` previews unpublished events, sessions and speakers (staff only)."""
    return user.is_authenticated and user.is_staff


class PublishableQuerySet(models.QuerySet):
    """A QuerySet of rows with a ``published()`` filter, for the visitor's view of them."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        """What ``user`` may see: published rows, plus drafts for staff who preview them."""
        if user_sees_drafts(user):
            return self.all()
        return self.published()
