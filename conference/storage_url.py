"""``MEDIA_STORAGE_URL`` -> the ``STORAGES["default"]`` entry for django-storages' S3Storage.

``s3://BUCKET?endpoint_url=...&region_name=...`` : the bucket is the host, every query
parameter an S3Storage option (``querystring_auth=false`` for a public bucket and so on).
Read by the settings, so it imports nothing of Django's.
"""

from urllib.parse import parse_qsl, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
BOOLEAN_OPTIONS = {
    "querystring_auth",
    "file_overwrite",
    "use_ssl",
    "verify",
    "gzip",
    "url_protocol_https",
}


def object_storage(url):
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ValueError(f"MEDIA_STORAGE_URL must look like s3://BUCKET?endpoint_url=...: {url!r}")
    options = {"bucket_name": parts.hostname, "file_overwrite": False}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in BOOLEAN_OPTIONS:
            if value.lower() not in BOOLEANS:
                raise ValueError(f"MEDIA_STORAGE_URL: {key} must be true or false, not {value!r}")
            options[key] = BOOLEANS[value.lower()]
        elif key == "region":
            options["region_name"] = value
        else:
            options[key] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def object_storage_origin(storage):
    """Where the browser fetches uploads from: ``custom_domain``, else the endpoint."""
    if not storage:
        return ""
    options = storage["OPTIONS"]
    if options.get("custom_domain"):
        scheme = "https" if options.get("url_protocol_https", True) else "http"
        return f"{scheme}://{options['custom_domain']}"
    return options.get("endpoint_url") or f"https://{options['bucket_name']}.s3.amazonaws.com"
