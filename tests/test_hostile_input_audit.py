"""Every URL and every form of the site, fed what no browser sends: never a 500.

The review behind issue 15 found three reachable 500s on PostgreSQL, where a
NUL byte in a query or a value longer than its column raises in the
database. This audit walks the resolver, so a URL added later is audited
without anyone remembering to: each pattern is requested as each role with a
NUL in each path parameter, NUL and over-long values in every query
parameter a view reads (and those the page's own links and filters use), and
a POST of the same. Every POST form found on the pages is then submitted
with each field NUL and each field longer than its ``maxlength`` (or than
10,000 characters): the user gets the page back with the error next to the
field, or a redirect when the value was legitimately accepted, and no row
ends up with a cut-off copy of what was typed.

CI runs it on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from action_items.models import ActionItem
from assessments import services as assessment_services
from assessments.models import Assessment
from organisations import services as organisation_services
from organisations.models import Invitation, Membership
from playbook.versions import rubric_version_for
from reports.models import ActionPlan
from tests import factories
from tests.conftest import World
from tests.results.test_results import submitted

NUL = "\x00"
# Marked, so that a cut-off copy of it is easy to find in any column.
MARK = "hostile-"
LONG = MARK + "x" * 10_000

# Every key a view, a form or Django's own views read from the query string
# or a POST body (grep for request.GET / request.POST, the filter forms and
# the admin's changelist), plus whatever the page's own links and GET forms use.
QUERY_KEYS = (
    # action items: filters, the step to commit, where to go back to
    "cycle",
    "team",
    "status",
    "owner",
    "element",
    "step",
    "next",
    # dashboard: a page of teams of one status
    "page",
    # the questionnaire's buttons, set_language
    "action",
    "language",
)
ADMIN_QUERY_KEYS = (
    "q",
    "o",
    "p",
    "e",
    "all",
    "_facets",
    "_popup",
    "_to_field",
    "_changelist_filters",
    "app_label",
    "model_name",
    "field_name",
    "term",
)

ROLES = ("anonymous", "lead", "manager", "admin")


# --- the URLs ---------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One URL pattern of the resolver: its full route, name, and parameters."""

    route: str
    name: str
    params: tuple[str, ...]
    regex: bool
    module: str  # of the view

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def __str__(self) -> str:
        return self.name or self.route


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            regex = isinstance(pattern.pattern, RegexPattern)
            if isinstance(pattern.pattern, RoutePattern):
                params = tuple(pattern.pattern.converters)
            else:  # named groups, else positional ones by number
                regex_ = pattern.pattern.regex
                params = tuple(regex_.groupindex) or tuple(map(str, range(regex_.groups)))
            module = pattern.callback.__module__
            yield Pattern(prefix + str(pattern.pattern), name or "", params, regex, module)


def _patterns() -> list[Pattern]:
    seen: set[str] = set()
    found = []
    for pattern in _walk(get_resolver().url_patterns):
        if pattern.route not in seen:  # /accounts/login/ is both ours and Django's
            seen.add(pattern.route)
            found.append(pattern)
    return found


PATTERNS = _patterns()


@dataclass
class Site:
    """The shared world, and an object of each kind a URL can point to."""

    world: World
    draft: Assessment
    done: Assessment
    item: ActionItem
    plan: ActionPlan
    invitation: Invitation
    lead2_membership: Membership
    reset_uid: str
    reset_token: str
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(getattr(self.world, role))
            self.clients[role] = client
        return self.clients[role]

    def values(self, pattern: Pattern) -> dict[str, str]:
        """Path parameters that reach the view as a role with access."""
        world = self.world
        acme, alpha, cycle = str(world.acme.pk), str(world.alpha.pk), str(world.cycle.pk)
        by_name: dict[str, dict[str, str]] = {
            "assessment_start": {"team_id": alpha, "cycle_id": cycle},
            "assessment_resume": {"pk": str(self.draft.pk)},
            "assessment_section": {"pk": str(self.draft.pk), "number": "1"},
            "assessment_review": {"pk": str(self.draft.pk)},
            "assessment_submit": {"pk": str(self.draft.pk)},
            "team_rename": {"pk": acme, "team_pk": alpha},
            "lead_remove": {"pk": acme, "membership_pk": str(self.lead2_membership.pk)},
            "invitation_withdraw": {"pk": acme, "invitation_pk": str(self.invitation.pk)},
            "invitation_accept": {"token": self.invitation.token},
            "action_item_create": {"pk": str(self.done.pk)},
            "team_action_item_create": {"pk": alpha, "cycle_id": cycle},
            "team_action_items": {"pk": alpha},
            "action_item_carry_over": {"pk": alpha, "cycle_id": cycle},
            "action_item_edit": {"pk": str(self.item.pk)},
            "assessment_results": {"pk": str(self.done.pk)},
            "action_plan_request": {"pk": str(self.done.pk)},
            "team_result": {"team_id": alpha, "cycle_id": cycle},
            "team_action_plan_request": {"team_id": alpha, "cycle_id": cycle},
            "action_plan_status": {"pk": str(self.plan.pk)},
            "action_plan_download": {"pk": str(self.plan.pk)},
            "cycle_export_scores": {"pk": cycle, "format": "csv"},
            "cycle_export_answers": {"pk": cycle, "format": "xlsx"},
            "password_reset_confirm": {"uidb64": self.reset_uid, "token": self.reset_token},
            "admin:view_on_site": {
                "content_type_id": str(ContentType.objects.get_for_model(world.alpha).pk),
                "object_id": alpha,
            },
            "admin:auth_user_password_change": {"id": str(world.lead.pk)},
            "admin:app_list": {"app_label": "organisations"},
        }
        if pattern.name in by_name:
            return by_name[pattern.name]
        if pattern.params == ("url",):  # the admin's catch-all
            return {"url": "no-such-page/"}
        if pattern.params == ("pk",):
            # An organisation's pages (cycles, teams, dashboard) or a cycle's.
            return {"pk": acme if pattern.route.startswith("organisations/") else cycle}
        if pattern.is_admin and pattern.params:
            return self._admin_values(pattern)
        assert not pattern.params, f"no values for the parameters of {pattern}"
        return {}

    def _admin_values(self, pattern: Pattern) -> dict[str, str]:
        match = re.match(r"admin/(\w+)/(\w+)/", pattern.route)
        assert match, pattern
        model = apps.get_model(match[1], match[2])
        instance = model._default_manager.order_by("pk").first()
        if instance is None:  # the admin says it does not exist
            return dict.fromkeys(pattern.params, "1")
        if pattern.regex:  # simple_history's page of one historical version
            history = instance.history.order_by("pk").first()  # type: ignore[attr-defined]
            return {"0": str(instance.pk), "1": str(history.pk)}
        return {"object_id": str(instance.pk)}

    def url(self, pattern: Pattern, values: dict[str, str]) -> str:
        if pattern.regex:
            return "/" + _fill_regex(pattern.route, values)

        def value(match: re.Match[str]) -> str:
            return values[match[1]]

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, pattern.route)


def _fill_regex(route: str, values: dict[str, str]) -> str:
    """The admin's few regex routes, filled in (named groups, then positional ones)."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: values[match[1]], route)
    position = iter(range(10))
    return re.sub(r"\([^)]*\)", lambda match: values[str(next(position))], route)


@pytest.fixture
def site(world: World, settings: Any) -> Site:
    # A plan request queues a task that nobody runs.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    later = factories.make_cycle(
        world.acme,
        [world.framework],
        name="2027 H1",
        slug="2027-h1",
        rubric_version=world.cycle.rubric_version,
    )
    draft = assessment_services.assessment_start(
        team=world.alpha, cycle=later, respondent=world.lead
    )
    done = submitted(
        world,
        world.lead,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "agree",
            "beta-element-level": "level-1",
            "beta-element-agree": "disagree",
        },
        {"alpha-element-reflect": "We rarely ask customers."},
    )
    item = ActionItem.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        element_key="alpha-element",
        created_by=world.lead,
        owner=world.lead,
        title_en="Ask customers",
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    plan = ActionPlan.objects.create(
        kind=ActionPlan.Kind.ASSESSMENT,
        team=world.alpha,
        cycle=world.cycle,
        assessment=done,
        language="en",
        input_hash="0" * 64,
        status=ActionPlan.Status.READY,
        pdf=ContentFile(b"%PDF-1.4\n", name="plan.pdf"),
        filename="plan.pdf",
    )
    invitation = organisation_services.invitation_create(
        team=world.beta, email="newcomer@example.com", invited_by=world.manager
    )
    return Site(
        world=world,
        draft=draft,
        done=done,
        item=item,
        plan=plan,
        invitation=invitation,
        lead2_membership=Membership.objects.get(user=world.lead2),
        reset_uid=urlsafe_base64_encode(force_bytes(world.lead.pk)),
        reset_token=default_token_generator.make_token(world.lead),
    )


# --- reading pages ------------------------------------------------------------


@dataclass
class Form:
    """A POST form of a page: where it posts, and its fields with the values a browser sends."""

    action: str
    fields: dict[str, str]
    # name -> maxlength attribute, for the fields that have one
    max_lengths: dict[str, int]
    # the fields a person types into or picks from (not hidden inputs, not buttons)
    visible: set[str]


class _PageReader(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.query_keys: set[str] = set()
        self._form: Form | None = None
        self._get_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name", "")
        if tag == "a" and "?" in attributes.get("href", ""):
            self._query_keys(attributes["href"])
        elif tag == "form":
            if attributes.get("method", "get").lower() == "post":
                action = urljoin(self.url, attributes.get("action") or self.url)
                self._form = Form(action=action, fields={}, max_lengths={}, visible=set())
                self.forms.append(self._form)
            else:
                self._get_form = True
        elif tag in {"input", "select", "textarea", "button"} and name:
            if self._get_form:
                self.query_keys.add(name)
            if self._form is None:
                return
            kind = attributes.get("type", "text").lower()
            if "maxlength" in attributes:
                self._form.max_lengths[name] = int(attributes["maxlength"])
            if tag == "input" and kind in {"checkbox", "radio"}:
                if "checked" in attributes or name not in self._form.fields:
                    self._form.fields[name] = attributes.get("value", "on")
            elif tag in {"input", "button"} and kind in {"submit", "button", "image"}:
                return  # a button posts only when pressed
            else:
                self._form.fields.setdefault(name, attributes.get("value", ""))
            if not (tag == "input" and kind == "hidden"):
                self._form.visible.add(name)
            if tag == "select":
                self._select = name
            if tag == "textarea":
                self._textarea = name
        elif tag == "option" and self._form is not None and self._select:
            value = attributes.get("value", "")
            if "selected" in attributes or not self._form.fields[self._select]:
                self._form.fields[self._select] = value

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form, self._get_form = None, False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _query_keys(self, href: str) -> None:
        query = urlsplit(href).query
        self.query_keys.update(part.partition("=")[0] for part in query.split("&") if part)


def read_page(url: str, response: Any) -> _PageReader:
    reader = _PageReader(url)
    if response.get("Content-Type", "").startswith("text/html"):
        reader.feed(response.content.decode())
    return reader


# --- checking responses ---------------------------------------------------------


@dataclass
class Audit:
    """Requests and what went wrong with them, reported all at once."""

    site: Site
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def get(self, role: str, path: str, query: dict[str, str] | None = None) -> Any:
        return self._check(role, "GET", path, query or {})

    def post(self, role: str, path: str, data: dict[str, str]) -> Any:
        return self._check(role, "POST", path, data)

    def _check(self, role: str, method: str, path: str, data: dict[str, str]) -> Any:
        client = self.site.client(role)
        self.requests += 1
        response = client.get(path, data) if method == "GET" else client.post(path, data)
        if response.status_code >= 500:
            shown = {key: _shown(value) for key, value in data.items()}
            self.failures.append(f"{role} {method} {path!r} {shown} -> {response.status_code}")
        return response

    def assert_clean(self) -> None:
        assert not self.failures, f"{len(self.failures)} of {self.requests}:\n" + "\n".join(
            self.failures
        )


def _shown(value: str) -> str:
    return value if len(value) < 40 else f"{value[:12]}…({len(value)} chars)"


def _location(response: Any) -> str:
    return response.get("Location", "")


def _reaches_view(response: Any) -> bool:
    """Past the access checks: not a 404/405, not sent to sign in."""
    if response.status_code in {404, 405}:
        return False
    return not (response.status_code == 302 and "/login/" in _location(response))


# --- 1. every URL, every role ---------------------------------------------------

# The keys each view reads, tried one at a time (an early 404 for one must not
# hide another); every key of QUERY_KEYS goes to every URL at once as well.
READS: dict[str, tuple[str, ...]] = {
    "login": ("next",),
    "set_language": ("next", "language"),
    "dashboard": ("cycle", "status", "page"),
    "team_action_items": ("cycle", "status", "owner", "element"),
    "organisation_action_items": ("cycle", "team", "status", "owner", "element"),
    "action_item_create": ("step",),
    "team_action_item_create": ("step",),
    "action_item_edit": ("next",),
    "admin:autocomplete": ADMIN_QUERY_KEYS,
}


def _group(pattern: Pattern) -> str:
    """The app a URL belongs to (the admin: the app of its model), one test each."""
    if pattern.is_admin:
        match = re.match(r"admin/(\w+)/\w+/", pattern.route)
        return f"admin-{match[1]}" if match else "admin"
    module = pattern.module
    return "accounts" if module.startswith("django.") else module.partition(".")[0]


def _group_params() -> list[Any]:
    groups: dict[str, list[Pattern]] = {}
    for pattern in PATTERNS:
        groups.setdefault(_group(pattern), []).append(pattern)
    return [pytest.param(patterns, id=group) for group, patterns in groups.items()]


def _nul_variants(value: str) -> list[str]:
    """A NUL for the whole parameter and after a valid value (an int converter matches neither)."""
    return ["%00"] if value.isdigit() else ["%00", value + "%00"]


@pytest.mark.parametrize("patterns", _group_params())
def test_every_url_takes_nul_and_long_values_without_a_server_error(
    site: Site, patterns: list[Pattern]
) -> None:
    audit = Audit(site)
    for pattern in patterns:
        _audit_url(audit, pattern)
    audit.assert_clean()


def _audit_url(audit: Audit, pattern: Pattern) -> None:
    site = audit.site
    values = site.values(pattern)
    path = site.url(pattern, values)
    keys = ADMIN_QUERY_KEYS if pattern.is_admin else QUERY_KEYS
    changelist = pattern.name.endswith("_changelist")
    # The admin sends everyone else to its login page.
    for role in ("anonymous", "admin") if pattern.is_admin else ROLES:
        for name, value in values.items():
            for variant in _nul_variants(value):
                audit.get(role, site.url(pattern, {**values, name: variant}))
        response = audit.get(role, path)
        audit.get(role, path, dict.fromkeys(keys, NUL))
        audit.get(role, path, dict.fromkeys(keys, LONG))
        if _reaches_view(response):
            one_by_one = set(READS.get(pattern.name, ()))
            if changelist:  # its search, ordering, page, and each filter's own keys
                one_by_one |= {"q", "o", "p"} | read_page(path, response).query_keys
            for key in sorted(one_by_one):
                audit.get(role, path, {key: NUL})
        # Last: a POST may sign the role out.
        audit.post(role, path, dict.fromkeys(keys, NUL))


# --- 2. every form, each field NUL and over-long ------------------------------------

# Where forms are read from, beyond the app's own pages: the admin's add forms
# of the site's own models (the changelists are audited above).
ADMIN_FORM_PAGES = (
    "admin:organisations_organisation_add",
    "admin:organisations_team_add",
    "admin:organisations_membership_add",
    "admin:organisations_cycle_add",
    "admin:playbook_framework_add",
    "admin:auth_user_add",
)
# Fields whose hostile value is refused with the error shown elsewhere, or
# legitimately accepted after cleaning, with why.
NO_FIELD_ERROR = {
    # No account with that password: the form's own error, above the fields.
    ("login", "password"),
    # A password has no length limit; the pair then differs, said at one of the two.
    ("invitation_accept", "password1"),
    ("invitation_accept", "password2"),
    ("password_change", "new_password1"),
    ("password_change", "new_password2"),
    ("password_reset_confirm", "new_password1"),
    ("password_reset_confirm", "new_password2"),
}
ACCEPTED = {
    # A language the site does not offer, or a place off the site: ignored.
    ("set_language", "language"),
    ("set_language", "next"),
}


def _form_pages() -> list[Any]:
    groups: dict[str, list[Pattern]] = {}
    for pattern in PATTERNS:
        if not pattern.is_admin or pattern.name in ADMIN_FORM_PAGES:
            groups.setdefault(_group(pattern), []).append(pattern)
    return [pytest.param(patterns, id=group) for group, patterns in groups.items()]


def _hostile_values(form: Form, name: str, kind: str) -> list[tuple[str, str]]:
    """``(label, value)``: a NUL, one character over the maxlength (and 10,000 characters)."""
    length = form.max_lengths.get(name, len(LONG) - 1) + 1
    over_long = MARK + "x" * (length - len(MARK))
    if kind == "email":
        over_long = MARK + "x" * max(length - len(MARK) - 12, 1) + "@example.com"
    values = [("NUL", NUL), ("over-long", over_long)]
    if name in form.max_lengths:  # the column behind it may be longer, or shorter
        values.append(("10,000 characters", LONG))
    return values


def _shows_error_next_to(page: str, name: str) -> bool:
    """The field's own error, where crispy forms, the admin or the questionnaire put it."""
    if f'id="id_{name}_error"' in page:
        return True
    marker = f'data-error-for="{name}"'
    return marker in page and f"{marker} hidden" not in page


@dataclass
class FormAudit:
    audit: Audit
    sent: set[str] = field(default_factory=set)
    seen: set[tuple[str, str, tuple[str, ...]]] = field(default_factory=set)

    def forms_on(self, role: str, path: str) -> list[tuple[str, Form]]:
        client = self.audit.site.client(role)
        response = client.get(path, follow=True)
        if response.status_code != 200:
            return []
        final = response.request["PATH_INFO"]
        found = []
        for form in read_page(final, response).forms:
            action = urlsplit(form.action).path
            key = (role, action, tuple(sorted(form.fields)))
            if action.endswith("/logout/") or key in self.seen:
                continue
            self.seen.add(key)
            found.append((final, form))
        return found

    def fuzz(self, role: str, page: str, form: Form, view: str) -> None:
        audit = self.audit
        action = urlsplit(form.action).path
        action_is_admin = action.startswith("/admin/")
        for name in form.fields:
            if name == "csrfmiddlewaretoken" or "__prefix__" in name:  # an inline's template
                continue
            for label, value in _hostile_values(form, name, kind=""):
                self.sent.add(value)
                before = audit.failures[:]
                response = audit.post(role, action, {**form.fields, name: value})
                # The admin's forms are posted without their required values: only
                # that nothing fails and nothing is cut off is checked there.
                if audit.failures != before or name not in form.visible or action_is_admin:
                    continue
                if (view, name) in ACCEPTED:
                    continue
                if response.status_code in {301, 302, 303}:
                    audit.failures.append(
                        f"{role} {page}: {name}={label} accepted -> {_location(response)}"
                    )
                elif (view, name) in NO_FIELD_ERROR:
                    continue
                elif not _shows_error_next_to(response.content.decode(), name):
                    audit.failures.append(
                        f"{role} {page}: {name}={label} -> {response.status_code}, "
                        "no error next to the field"
                    )

    def assert_nothing_cut_off(self) -> None:
        """No text column holds a shortened copy of an over-long value."""
        cut = []
        for model in apps.get_models():
            for model_field in model._meta.concrete_fields:
                if not isinstance(model_field, models.CharField | models.TextField):
                    continue
                stored = model._default_manager.filter(
                    **{f"{model_field.attname}__startswith": MARK}
                ).values_list(model_field.attname, flat=True)
                cut += [
                    f"{model.__name__}.{model_field.name}: {len(value)} chars"
                    for value in stored
                    if value not in self.sent
                ]
        assert cut == []


@pytest.mark.parametrize("patterns", _form_pages())
def test_every_form_refuses_nul_and_over_long_values_next_to_the_field(
    site: Site, patterns: list[Pattern]
) -> None:
    audit = FormAudit(Audit(site))
    names = {pattern.name for pattern in patterns}
    for pattern in patterns:
        path = site.url(pattern, site.values(pattern))
        for role in ("admin",) if pattern.is_admin else ROLES:
            for page, form in audit.forms_on(role, path):
                # Each form once, with the views it posts to (the header's language
                # switch with set_language, the login page's with login).
                view = get_resolver().resolve(urlsplit(form.action).path).url_name or ""
                if pattern.is_admin or view in names:
                    audit.fuzz(role, page, form, view)
    audit.audit.assert_clean()
    audit.assert_nothing_cut_off()


def test_a_login_with_a_username_longer_than_any_column_is_refused(
    client: Client, world: World
) -> None:
    client.raise_request_exception = False

    response = client.post(reverse("login"), {"username": LONG, "password": "secret"})

    assert response.status_code == 200
    assert 'id="id_username_error"' in response.content.decode()
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # never reached the throttle

    admin = client.post(reverse("admin:login"), {"username": LONG, "password": "secret"})
    assert admin.status_code == 200
    assert "Ensure this value has at most 150 characters" in admin.content.decode()
