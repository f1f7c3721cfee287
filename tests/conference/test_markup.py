from conference.markup import render_markdown


def test_render_markdown_renders_commonmark():
    assert render_markdown("Hello **world**, see [the site](https://example.org/).") == (
        '<p>Hello <strong>world</strong>, see <a href="https://example.org/" '
        'rel="nofollow ugc noopener">the site</a>.</p>\n'
    )


def test_render_markdown_drops_scripts_handlers_and_javascript_urls():
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(1)">'
        '[click](javascript:alert(1)) <a href="javascript:alert(1)">x</a>'
        '<iframe src="https://evil.example/"></iframe>'
    )

    assert "<script" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html
    assert "<iframe" not in html


def test_render_markdown_of_nothing_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
