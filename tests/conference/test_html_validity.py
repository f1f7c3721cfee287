"""Every public page is valid HTML: the W3C Nu HTML Checker (vnu.jar, from the npm package
vnu-jar that scripts/test installs with `npm ci`) finds no errors in any of them."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.sessions.big_event import build_big_event, public_pages

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_checker_errors(pages, directory):
    """Run vnu.jar once on every page (a dict of name to HTML); return its error messages as
    "name:line: message" strings."""
    java = shutil.which("java")
    assert java, "The HTML validity test needs Java 17 or later: apt-get install openjdk-17-jre"
    assert VNU_JAR.exists(), f"The HTML validity test needs {VNU_JAR}: run `npm ci`"
    files, paths = {}, []
    for number, (name, html) in enumerate(pages.items()):
        path = directory / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
        paths.append(path)
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = []
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] == "error" or (
            message["type"] == "non-document-error" and message.get("subType") != "warning"
        ):
            url = message.get("url", "")
            name = files.get(url.rpartition("/")[2], url)
            extract = message.get("extract", "").strip()
            errors.append(
                f"{name}:{message.get('lastLine', '?')}: {message['message']} [{extract}]"
            )
    return errors


def test_the_nu_html_checker_finds_no_errors_on_the_public_pages(client, reference_event, tmp_path):
    session = reference_event.sessions.order_by("day", "position").first()
    speaker = session.speakers.order_by("pk").first()
    timed = build_big_event(sessions=12, rooms=3, days=2)
    paths = {
        "home": reverse("conference:event_list"),
        "event page": reference_event.get_absolute_url(),
        "session page": session.get_absolute_url(),
        "speaker page": speaker.get_absolute_url(),
        "speakers index": reverse("speakers:list"),
        "search results": reverse("talks:search") + "?q=security",
        **{f"timed event {path}": path for path in public_pages(timed)},
    }
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert (name, response.status_code) == (name, 200)
        pages[f"{name} ({path})"] = response.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    pages["404 (/no-such-page/)"] = missing.content.decode()

    errors = nu_checker_errors(pages, tmp_path)

    assert errors == [], "The Nu HTML Checker found errors:\n" + "\n".join(errors)
