"""Every row of every table, read cheaply: what a test compares to say "nothing changed".

``dumpdata`` prints the same rows, but builds a model instance and a JSON object for each of
them: a few tenths of a second for the reference event, paid on every fuzz example compared.
"""

from django.apps import apps


def every_row():
    """``{model label: [row values, in primary-key order]}`` for every model ``dumpdata`` dumps
    (each concrete, managed one), and the tables behind many-to-many fields as well."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
