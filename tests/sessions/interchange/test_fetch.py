"""Fetching a schedule from a URL: public addresses only, a size cap, a timeout, http(s) only."""

import ipaddress

import pytest

from sessions.interchange.fetch import (
    FetchError,
    _is_public,
    check_url,
    checked_address,
    fetch_source,
    file_name_of,
)
from sessions.interchange.files import MAX_SCHEDULE_BYTES, too_big
from tests.local_http import local_http_server

POST = b"---\ntitle: A post\n---\n"


@pytest.fixture
def server(settings):
    settings.IMPORT_ALLOW_PRIVATE_URLS = True
    with local_http_server({"post.md": POST, "big.md": b"x" * 1000}) as url:
        yield url


def refusal(url, **options):
    with pytest.raises(FetchError) as error:
        fetch_source(url, **options)
    return error.value.message


def test_a_file_is_fetched_into_a_file_named_after_the_url(server, tmp_path):
    path = fetch_source(f"{server}/files/post.md", into=tmp_path)

    assert (path, path.read_bytes()) == (tmp_path / "post.md", POST)


def test_loopback_and_private_addresses_are_refused_unless_allowed(server, settings):
    settings.IMPORT_ALLOW_PRIVATE_URLS = False

    assert refusal(f"{server}/files/post.md") == (
        "127.0.0.1 is a private or local address (127.0.0.1): only public addresses can be "
        "imported from (IMPORT_ALLOW_PRIVATE_URLS allows others)"
    )
    assert refusal("http://localhost:9/post.md").startswith("localhost is a private or local")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # the cloud metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:4700::6810:85e5", True),
    ],
)
def test_only_global_unicast_addresses_are_public(address, public):
    assert _is_public(ipaddress.ip_address(address)) is public


def test_a_host_is_checked_by_every_address_it_resolves_to(settings):
    settings.IMPORT_ALLOW_PRIVATE_URLS = False

    assert checked_address("93.184.216.34", 80) == "93.184.216.34"
    with pytest.raises(FetchError, match=r"169\.254\.169\.254 is a private or local address"):
        checked_address("169.254.169.254", 80)


def test_a_file_over_the_cap_is_refused(server):
    assert refusal(f"{server}/files/big.md", max_bytes=999) == "file is larger than 999 bytes"


def test_a_download_without_a_length_stops_at_the_cap(server):
    assert refusal(f"{server}/endless") == too_big(MAX_SCHEDULE_BYTES)


def test_a_server_that_does_not_answer_in_time_is_given_up(server):
    assert refusal(f"{server}/slow", timeout=0.5) == "no answer within 0.5 seconds"


def test_an_error_status_is_reported(server):
    assert refusal(f"{server}/files/missing.md") == "the server answered 404 Not Found"


def test_a_redirect_to_another_scheme_is_refused(server):
    assert refusal(f"{server}/to-ftp") == "only http:// and https:// URLs can be imported"


def test_nothing_listening_is_reported(settings):
    settings.IMPORT_ALLOW_PRIVATE_URLS = True

    assert refusal("http://127.0.0.1:9/post.md").startswith("cannot connect: ")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http:// and https:// URLs can be imported"),
        ("ftp://example.org/a.xml", "only http:// and https:// URLs can be imported"),
        ("javascript:alert(1)", "only http:// and https:// URLs can be imported"),
        ("http:///a.xml", "the URL has no host name"),
        ("http://example.org:99999/", "not a valid URL (Port out of range 0-65535)"),
    ],
)
def test_urls_other_than_http_with_a_host_are_refused(url, message):
    with pytest.raises(FetchError) as error:
        check_url(url)
    assert error.value.message == message


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://pretalx.example/conf/schedule/export/schedule.xml", "schedule.xml"),
        ("https://example.org/", "download"),
        ("https://example.org/a%20b/..", "download"),
        ("https://example.org/p/My%20Post.md?x=1", "My_Post.md"),
    ],
)
def test_the_file_is_named_after_the_last_part_of_the_path(url, name):
    assert file_name_of(url) == name
