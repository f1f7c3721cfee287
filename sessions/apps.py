from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "sessions"
    # django.contrib.sessions owns the label "sessions"; ours appears as "talks" in
    # migrations, permissions, admin URLs and template folders.
    label = "talks"
    verbose_name = "Sessions"
