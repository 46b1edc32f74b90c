"""The Content-Security-Policy: on every page, strict for scripts, and nothing inline in templates.

The browser side (no violation while pages, charts and the admin run) is
tests/e2e/test_csp_pages.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from assessments.models import Assessment
from playbook.models import Element
from tests.conftest import World, logged_in
from tests.results.test_results import submitted

ROOT = Path(settings.BASE_DIR)
# Rendered by WeasyPrint into PDFs, never sent to a browser: no policy reaches them.
PDF_TEMPLATES = ROOT / "templates" / "reports" / "pdf"
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = [part.split() for part in header.split(";")]
    return {name: values for name, *values in directives}


def page_url(name: str, world: World) -> tuple[User | None, str]:
    """Who opens the page ``name`` (None: nobody signed in), and its address."""
    if name == "section":
        assessment = Assessment.objects.create(
            team=world.alpha, cycle=world.cycle, respondent=world.lead
        )
        return world.lead, reverse("assessment_section", args=[assessment.pk, 1])
    if name == "results":
        answered = submitted(world, world.lead, {"alpha-element-level": "level-2"})
        return world.lead, reverse("assessment_results", args=[answered.pk])
    if name == "admin_change":
        element = Element.objects.order_by("pk").first()
        assert element is not None
        return world.admin, reverse("admin:playbook_element_change", args=[element.pk])
    return {
        "home": (world.lead, reverse("home")),
        "dashboard": (world.manager, reverse("dashboard", args=[world.acme.pk])),
        "cycle_overview": (world.manager, reverse("cycle_overview", args=[world.cycle.pk])),
        "admin_index": (world.admin, reverse("admin:index")),
        "login": (None, reverse("login")),
        "password_reset": (None, reverse("password_reset")),
        "not_found": (None, "/no-such-page/"),
        "not_found_signed_in": (world.lead, "/no-such-page/"),
    }[name]


PAGES = [
    "home",
    "section",
    "results",
    "dashboard",
    "cycle_overview",
    "admin_index",
    "admin_change",
    "login",
    "password_reset",
    "not_found",
    "not_found_signed_in",
]


@pytest.mark.parametrize("name", PAGES)
@override_settings(DEBUG=False)
def test_every_page_sends_the_policy(world: World, name: str) -> None:
    user, url = page_url(name, world)
    client = logged_in(user) if user else Client()

    response = client.get(url)

    assert response.status_code == (404 if name.startswith("not_found") else 200), name
    assert response["Content-Type"].startswith("text/html")
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert "http" not in header  # no CDN, no other host


def test_only_the_dashboard_allows_an_empty_style_attribute(
    manager_client: Client, world: World
) -> None:
    dashboard = manager_client.get(reverse("dashboard", args=[world.acme.pk]))
    overview = manager_client.get(reverse("cycle_overview", args=[world.cycle.pk]))

    assert policy(dashboard)["style-src-attr"] == ["'unsafe-hashes'", EMPTY_STYLE_HASH]
    assert policy(dashboard)["script-src"] == ["'self'"]
    assert "style-src-attr" not in policy(overview)


def test_the_admin_history_allows_its_one_style_attribute_and_no_other_admin_page(
    admin_client_: Client, world: World
) -> None:
    element = Element.objects.order_by("pk").first()
    assert element is not None
    element.save()  # a history row, so that the page lists it
    history = admin_client_.get(reverse("admin:playbook_element_history", args=[element.pk]))
    change = admin_client_.get(reverse("admin:playbook_element_change", args=[element.pk]))

    assert 'style="border-top: 0"' in history.content.decode()
    assert policy(history)["style-src-attr"] == [
        "'unsafe-hashes'",
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    ]
    assert "style-src-attr" not in policy(change)


# What a policy without 'unsafe-inline' refuses in markup. Template tags and
# comments are taken out first, so that an attribute inside {% if %} counts.
TEMPLATE_SYNTAX = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{[%{#].*?[%}#]\}", re.S
)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*)?)>")
INLINE_ATTRIBUTE = re.compile(r"""(?:^|\s)(style|on[a-z]+)\s*=|=\s*["']?\s*javascript:""", re.I)


def inline_code(template: str) -> list[str]:
    """The inline styles, scripts and event handlers in ``template``'s markup."""
    markup = HTML_COMMENT.sub(" ", TEMPLATE_SYNTAX.sub(" ", template))
    found = []
    for match in TAG.finditer(markup):
        name, attributes = match.group(1).lower(), match.group(2)
        inline_script = name == "script" and not re.search(r"\ssrc\s*=", attributes)
        if name == "style" or inline_script or INLINE_ATTRIBUTE.search(attributes):
            found.append(match.group(0))
    return found


def templates() -> list[Path]:
    paths = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "jinja2").rglob("*.html")]
    return sorted(path for path in paths if PDF_TEMPLATES not in path.parents)


def test_no_template_has_an_inline_style_script_or_event_handler() -> None:
    found = {
        str(path.relative_to(ROOT)): code
        for path in templates()
        if (code := inline_code(path.read_text()))
    }

    assert len(templates()) > 50
    assert found == {}


@pytest.mark.parametrize(
    "template",
    [
        '<div class="progress-bar" style="width: {% widthratio a b 100 %}%"></div>',
        '<div class="x"{% if wide %} style="width: 100%"{% endif %}></div>',
        "<p STYLE='color: red'>",
        "<style>p { color: red; }</style>",
        "<script>alert(1)</script>",
        '<script type="module">import "./x.js";</script>',
        '<button type="button" onclick="go()">',
        '<body onload="start()">',
        '<a href="javascript:go()">',
        '<form {% if x > 4 %}class="a"{% endif %} onsubmit="return check()">',
    ],
)
def test_the_template_scan_finds_inline_code(template: str) -> None:
    assert inline_code(template) != []


@pytest.mark.parametrize(
    "template",
    [
        "<script src=\"{% static 'js/charts.js' %}\" defer></script>",
        '<div class="chart-plot" data-chart-height="{{ height }}"></div>',
        '<progress class="section-progress" value="1" max="3"></progress>',
        '{% comment %}No style="" here.{% endcomment %}<p>Styles: one, none</p>',
        '<a href="{% url \'home\' %}" data-on-save="x">Home</a>',
        '<!-- <p style="x"> -->',
    ],
)
def test_the_template_scan_lets_external_scripts_and_data_attributes_be(template: str) -> None:
    assert inline_code(template) == []


def test_the_chart_stylesheet_holds_plotlys_rules() -> None:
    stylesheet = (ROOT / "static" / "vendor" / "plotly" / "plotly-cx.css").read_text()

    assert ".js-plotly-plot .plotly .main-svg {position:absolute;" in stylesheet
    assert ".plotly-notifier" in stylesheet
