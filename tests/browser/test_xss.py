"""Cross-site scripting: hostile text in every field a person types, opened in real Chromium.

Each payload of tests/fixtures/xss-payloads.txt (modelled on OWASP's XSS filter-evasion cheat
sheet) tries to run ``window.__xss=1`` or ``alert(1)``. All of them go into every Markdown
field (event summary, session descriptions, speaker bios) and, one per field, into the plain
ones (names, titles, venue, tags, companies, sponsors, accepted profile URLs). Then every
public page that shows them must run nothing: no dialog, no write to ``window.__xss``, no
``<script>`` but ours, no ``on*`` attribute and no ``javascript:`` URL anywhere in the DOM.
"""

from itertools import cycle
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from speakers.models import ProfileLink
from tests.conftest import FIXTURES
from tests.factories import (
    PASSWORD,
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PAYLOADS = [
    line
    for line in (FIXTURES / "xss-payloads.txt").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
SPEAKERS = 6
SESSIONS = 8
TAGS_PER_SESSION = 3
PROFILE_URLS = [
    'https://example.org/"><script>window.__xss=1</script>',
    "https://example.org/'onmouseover='alert(1)",
    'https://example.org/" onfocus="window.__xss=1" autofocus="',
    "https://example.org/<img src=x onerror=alert(1)>",
    "https://github.com/x?<svg/onload=window.__xss=1>",
    "javascript:alert(1)//https://example.org/",
    "JaVaScRiPt:window.__xss=1",
    "data:text/html,<script>alert(1)</script>",
    "https://javascript:alert(1)@example.org/",
]
# Writes to window.__xss are counted (a payload cannot reset them) and dialogs count as hits.
SENTINEL = """
let hits = 0;
Object.defineProperty(window, "__xss", {get: () => hits, set: () => { hits += 1; }});
window.alert = window.confirm = window.prompt = window.print = () => { hits += 1; };
"""
DOM_PROBLEMS = """() => {
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "background", "poster", "srcdoc", "to", "values", "from", "by", "ping", "srcset"]);
  const runnable = /^(?:javascript|vbscript|livescript):|^data:(?:text\\/html|[^,]*script)/;
  // JSON data blocks never run (JSON-LD, sortable2's admin config); every other script is a file.
  const data = (script) => ["application/ld+json", "application/json"].includes(script.type);
  const ours = (script) => data(script) || (script.src
    && new URL(script.src).origin === location.origin
    && (new URL(script.src).pathname.startsWith("/static/")
      || new URL(script.src).pathname === "/admin/jsi18n/"));
  const problems = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll("*")) {
      const name = element.localName;
      if (name === "script" && !ours(element)) {
        problems.push("script: " + element.outerHTML.slice(0, 120));
      }
      if (name === "script" && data(element)) {
        try { JSON.parse(element.textContent); }
        catch (error) { problems.push("JSON data broken: " + element.textContent.slice(0, 120)); }
      }
      for (const attribute of element.attributes) {
        const attributeName = attribute.name.toLowerCase();
        const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
        if (attributeName.startsWith("on")) {
          problems.push(`${name}[${attributeName}]`);
        } else if (urlAttributes.has(attributeName) && runnable.test(value)) {
          problems.push(`${name}[${attributeName}=${attribute.value.slice(0, 80)}]`);
        }
      }
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  return problems;
}"""


def accepted_profile_urls():
    """The hostile URLs the model itself accepts (the others never reach a page)."""
    accepted = []
    for url in PROFILE_URLS:
        link = ProfileLink(url=url, kind=ProfileLink.Kind.WEBSITE)
        try:
            link.clean_fields(exclude=["speaker", "normalised_url"])
        except ValidationError:
            continue
        accepted.append(url)
    return accepted


def chunks(items, count):
    """``items`` split into ``count`` runs that together hold every item."""
    size = -(-len(items) // count)
    return [items[start : start + size] for start in range(0, len(items), size)]


def markdown(payloads):
    return "\n\n".join(payloads)


@pytest.fixture
def hostile_site(transactional_db):
    """An event where every user-entered field holds payloads; returns the pages to open."""
    short = cycle(PAYLOADS)
    event = EventFactory(
        name=f"XSS {next(short)}"[:200],
        summary=markdown(PAYLOADS),
        venue=next(short)[:200],
        city=next(short)[:100],
        country=next(short)[:100],
    )
    for _ in range(6):
        SponsorshipFactory(event=event, sponsor=SponsorFactory(name=next(short)[:200]))
    speakers = [
        SpeakerFactory(name=next(short)[:200], company=next(short)[:200], bio=markdown(bio))
        for bio in chunks(PAYLOADS, SPEAKERS)
    ]
    for position, url in enumerate(accepted_profile_urls()):
        link = ProfileLink(speaker=speakers[position % SPEAKERS], url=url, position=position)
        link.full_clean()
        link.save()
    sessions = []
    for number, description in enumerate(chunks(PAYLOADS, SESSIONS)):
        session = SessionFactory(
            event=event, title=next(short)[:300], description=markdown(description)
        )
        session.tags.add(*[next(short)[:100] for _ in range(TAGS_PER_SESSION)])
        SessionSpeakerFactory(session=session, speaker=speakers[number % SPEAKERS])
        RecordingFactory(session=session)
        sessions.append(session)
    full_session = SessionFactory(event=event, title=PAYLOADS[0], description=markdown(PAYLOADS))
    SessionSpeakerFactory(session=full_session, speaker=speakers[0])
    return {
        "event": event,
        "session": full_session,
        "speaker": speakers[0],
        "sponsor": event.sponsorships.first().sponsor,
        "pages": [
            reverse("conference:event_list"),
            event.get_absolute_url(),
            full_session.get_absolute_url(),
            *[session.get_absolute_url() for session in sessions[:2]],
            reverse("speakers:list"),
            *[speaker.get_absolute_url() for speaker in speakers],
            *[reverse("talks:tag_detail", args=[tag.slug]) for tag in sessions[0].tags.all()],
            *[
                reverse("talks:search") + "?" + urlencode({"q": payload})
                for payload in PAYLOADS[:8]
            ],
            reverse("talks:event_export_json", args=[event.slug]),
            reverse("feeds:recordings_rss"),
            reverse("feeds:recordings_atom"),
        ],
    }


def admin_pages(hostile_site):
    """Back-office pages that show the hostile values: lists, forms, history, deletions."""
    event, session = hostile_site["event"], hostile_site["session"]
    speaker, sponsor = hostile_site["speaker"], hostile_site["sponsor"]
    pages = [
        reverse("admin:index"),
        reverse("admin:conference_event_changelist"),
        reverse("admin:talks_session_changelist"),
        reverse("admin:talks_session_changelist") + f"?event__id__exact={event.pk}",
        reverse("admin:speakers_speaker_changelist"),
        reverse("admin:conference_sponsor_changelist"),
        reverse("admin:taggit_tag_changelist"),
    ]
    for name, obj in [
        ("conference_event", event),
        ("talks_session", session),
        ("speakers_speaker", speaker),
        ("conference_sponsor", sponsor),
    ]:
        pages += [
            reverse(f"admin:{name}_change", args=[obj.pk]),
            reverse(f"admin:{name}_history", args=[obj.pk]),
            reverse(f"admin:{name}_delete", args=[obj.pk]),
        ]
    return pages


def test_payload_corpus_is_large_and_unique():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_hostile_fields_run_no_script_on_any_public_page(browser, live_server, hostile_site):
    dialogs, opened = open_hostile_pages(browser, live_server, hostile_site["pages"])

    assert dialogs == []
    assert {path: result for path, result in opened.items() if any(result["hits"])} == {}
    problems = [
        f"{path}: {problem}" for path, result in opened.items() for problem in result["problems"]
    ]
    assert problems == [], "\n".join(problems)


def test_hostile_fields_run_no_script_in_the_admin(browser, live_server, hostile_site):
    """Organisers see the same values in the back office: lists, forms, history, deletions."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)

    dialogs, opened = open_hostile_pages(
        browser, live_server, admin_pages(hostile_site), log_in_as="admin"
    )

    assert dialogs == []
    assert {path: result for path, result in opened.items() if any(result["hits"])} == {}
    problems = [
        f"{path}: {problem}" for path, result in opened.items() for problem in result["problems"]
    ]
    assert problems == [], "\n".join(problems)
    titles = opened[reverse("admin:talks_session_changelist")]["text"]
    assert PAYLOADS[0] in titles  # shown as typed, not dropped


def open_hostile_pages(browser, live_server, paths, *, log_in_as=None):
    """Open each path in Chromium; return the dialogs seen and, per path, hits and problems."""
    context = browser.new_context()
    context.add_init_script(SENTINEL)
    # Pages never reach the internet: anything a payload asks of another host gets nothing.
    context.route("**/*", lambda route: _local_only(route, live_server.url))
    dialogs = []
    context.on("page", lambda page: page.on("dialog", _dismiss_into(dialogs)))
    page = context.new_page()
    page.on("dialog", _dismiss_into(dialogs))
    if log_in_as:
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", log_in_as)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + reverse("admin:index"))
    opened = {}
    for path in paths:
        response = page.goto(live_server.url + path, wait_until="load")
        assert response.status == 200, path
        page.wait_for_timeout(50)  # timers and animations a payload may have started
        opened[path] = {
            "hits": [frame.evaluate("window.__xss || 0") for frame in page.frames],
            "problems": page.evaluate(DOM_PROBLEMS),
            "text": page.inner_text("body"),
        }
    context.close()
    return dialogs, opened


def test_hostile_title_shown_as_text(browser, live_server, hostile_site):
    """The payloads are escaped, not dropped: the visitor reads them as typed."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + hostile_site["session"].get_absolute_url())
    heading = page.locator("h1").first.inner_text()
    context.close()
    assert heading == PAYLOADS[0]


def _local_only(route, base):
    if route.request.url.startswith(base):
        route.continue_()
    else:
        route.fulfill(status=204, body="")


def _dismiss_into(dialogs):
    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    return on_dialog
