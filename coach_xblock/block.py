"""The coach check-in XBlock: fields, views and JSON handlers.

Thin on purpose: a handler turns its JSON input into a call of `workflow` or `queries` and
the result into JSON (with the re-rendered HTML of the part of the view that changed).
"""
import functools
import importlib.resources
import json

from django.template import Context, Engine
from django.utils import translation
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import XBlockCompletionMode
from xblock.core import XML_NAMESPACES, XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from . import charts, domain, events, exports, i18n, identity, queries, workflow
from .analytics import DEFAULT_PERIOD, point_analytics, typical_wait_hours
from .domain import TOPICS, WorkflowError, is_whole_number
from .fields import DecimalInteger
from .i18n import gettext as _
from .i18n import gettext_lazy, gettext_noop, pgettext_lazy
from .jsonhandler import error_response, json_handler, read_json_body
from .scenarios import workbench_scenarios

loader = ResourceLoader(__name__)
templates = Engine(
    dirs=[str(importlib.resources.files(__package__) / "static" / "html")],
    libraries={"coach_i18n": "coach_xblock.templatetags.coach_i18n"},
)

POLL_SECONDS = 30
STUDIO_PREVIEW = gettext_lazy(
    "Studio shows a preview of this check-in point: learners ask, and coaches answer, in the course (LMS)."
)
NUMBER_SETTINGS = ("expected_response_hours", "max_open_requests", "min_length", "max_length")
# The limits the templates show and set on their fields (maxlength, hints, claim buttons, excerpts).
TEMPLATE_LIMITS = {
    "link": domain.MAX_LINK_LENGTH,
    "comment": domain.MAX_COMMENT_LENGTH,
    "coach_reply": domain.MAX_COACH_REPLY_LENGTH,
    "claim_minutes": domain.CLAIM_MINUTES,
    "ratings": domain.RATINGS,
    "excerpt_words": queries.EXCERPT_WORDS,
}
# The coach queue's status filter: every status of a request, or all of them.
QUEUE_STATUS_CHOICES = (*domain.STATUS_CHOICES, (queries.ALL_STATUSES, pgettext_lazy("request status", "All")))


def _topic_values():
    return [{"value": value, "display_name": str(label)} for value, label in TOPICS]


def _request_id(data):
    value = data.get("request_id")
    if not is_whole_number(value) or not 1 <= value <= domain.MAX_ID:
        raise JsonHandlerError(400, _("request_id: expected the number of a request."))
    return value


def _quoted(value):
    """A setting's value as an author reads it in a message: as written, cut short when long."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _optional_text(data, key):
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise JsonHandlerError(400, _("{field}: expected text.").format(field=key))
    return value


def json_action(coach_only=False, team_only=False, in_studio=False):
    """Make a method a JSON handler called as `method(self, data, viewer)`.

    Refuses a body that is not a JSON object; in Studio's preview, every action but those marked
    `in_studio` (no one is told apart there); an anonymous viewer; anyone but a coach of the course
    for `coach_only`, and anyone outside the course team for `team_only`. Turns a refused workflow
    action into a JSON error with the workflow's status and message.
    """

    def decorate(method):
        @functools.wraps(method)
        def handler(self, data, suffix=""):
            if not isinstance(data, dict):
                raise JsonHandlerError(400, _("Send the fields as a JSON object."))
            viewer = identity.current_viewer(self)
            if viewer.in_studio and not in_studio:
                raise JsonHandlerError(403, str(STUDIO_PREVIEW))
            if not (viewer.user_id or viewer.in_studio):
                raise JsonHandlerError(403, _("Sign in to use coach check-ins."))
            if coach_only and not viewer.is_coach:
                raise JsonHandlerError(403, _("Only the coaches of this course can do this."))
            if team_only and not viewer.is_course_team:
                raise JsonHandlerError(403, _("Only the course team can do this."))
            try:
                return method(self, data, viewer)
            except WorkflowError as error:
                raise JsonHandlerError(error.status, str(error.message)) from error

        return json_handler(handler)

    return decorate


@XBlock.needs("user")
@XBlock.needs("i18n")
@XBlock.wants("studio_user_permissions")
class CoachCheckinBlock(StudioEditableXBlockMixin, XBlock):
    """A coach check-in point: learners stuck here ask a human coach, coaches answer from a course-wide queue."""

    display_name = String(
        display_name=gettext_noop("Display name"),
        help=gettext_noop("The title of this check-in point, shown to learners and in the coach queue."),
        default=gettext_noop("Ask a coach"),
        scope=Scope.settings,
    )
    prompt = String(
        display_name=gettext_noop("Prompt"),
        help=gettext_noop("What learners read first: when to ask a coach at this point of the course."),
        default=gettext_noop("Stuck on this step? Tell a coach where you are, and they will help you move on."),
        multiline_editor=True,
        scope=Scope.settings,
    )
    tips = String(
        display_name=gettext_noop("Self-help tips"),
        help=gettext_noop("Tips learners read before they ask, one per line."),
        default="",
        multiline_editor=True,
        scope=Scope.settings,
    )
    topic = String(
        display_name=gettext_noop("Topic"),
        help=gettext_noop("What learners ask about here; it groups requests in the coach queue."),
        default=domain.DEFAULT_TOPIC,
        values=_topic_values,
        scope=Scope.settings,
    )
    expected_response_hours = DecimalInteger(
        display_name=gettext_noop("Expected response time (hours)"),
        help=gettext_noop("The time within which learners can expect a coach's first answer."),
        bounds=domain.EXPECTED_RESPONSE_HOURS,
        scope=Scope.settings,
    )
    max_open_requests = DecimalInteger(
        display_name=gettext_noop("Open requests per learner"),
        help=gettext_noop("How many unresolved requests a learner may have at this point at once."),
        bounds=domain.OPEN_REQUESTS,
        scope=Scope.settings,
    )
    min_length = DecimalInteger(
        display_name=gettext_noop("Minimum length (characters)"),
        help=gettext_noop("The least a learner must write under 'Where are you stuck?'."),
        bounds=domain.MIN_LENGTH,
        scope=Scope.settings,
    )
    max_length = DecimalInteger(
        display_name=gettext_noop("Maximum length (characters)"),
        help=gettext_noop("The most a learner may write in each field and reply."),
        bounds=domain.MAX_LENGTH,
        scope=Scope.settings,
    )
    coach_ids = String(
        display_name=gettext_noop("Coach user ids"),
        help=gettext_noop(
            "User ids of the coaches, separated by commas or spaces. Used where the platform has no "
            "course team (as in the XBlock workbench); in Open edX the course staff are the coaches."
        ),
        default="",
        scope=Scope.settings,
    )

    # The learner's only state kept by the block itself (no text of theirs: requests live in our
    # tables). Saving it makes the LMS create the learner's StudentModule for this block, which the
    # instructor dashboard's "reset learner state" looks up after calling `clear_student_state`.
    asked_here = Boolean(default=False, scope=Scope.user_state)

    editable_fields = (
        "display_name",
        "prompt",
        "tips",
        "topic",
        "expected_response_hours",
        "max_open_requests",
        "min_length",
        "max_length",
        "coach_ids",
    )

    workbench_scenarios = staticmethod(workbench_scenarios)
    i18n_js_namespace = i18n.NAMESPACE
    # Studio shows author_view on the unit page only to blocks that say they have one
    # (edx-platform xmodule/studio_editable.py, has_author_view).
    has_author_view = True
    # An optional help point: neither viewing it nor asking there completes it, and it never keeps a
    # unit from being complete (edx-completion's CompletionService skips EXCLUDED blocks).
    completion_mode = XBlockCompletionMode.EXCLUDED

    # Settings and context

    def ugettext(self, text):
        """Translate with our catalogue first (the Studio editor of xblock.utils labels our fields with this)."""
        return _(text)

    def _shown(self, field_name):
        """A text setting as people read it: a default the author kept is shown translated."""
        value = getattr(self, field_name)
        if value and value == self.fields[field_name].default:
            return _(value)
        return value or ""

    def _texts(self):
        return {"title": self._shown("display_name"), "prompt": self._shown("prompt")}

    def _usable(self, field_name):
        """A number setting as the block runs with it, whatever was imported or stored (see fields.py)."""
        return self.fields[field_name].bounds.usable(getattr(self, field_name))

    def checkin_point(self, *, asking=False):
        """This block's settings as the workflow enforces them; `asking` adds who to tell, and where.

        A setting that is missing or bad (imported from OLX, say) gives way to a safe value, so that
        learners are served while the author's validation names the setting to fix.
        """
        max_length = self._usable("max_length")
        return domain.CheckinPoint(
            course_key=identity.course_key(self),
            point_id=identity.point_id(self),
            title=self._shown("display_name") or _(self.fields["display_name"].default),
            topic=self.topic if self.topic in dict(TOPICS) else domain.DEFAULT_TOPIC,
            max_open_requests=self._usable("max_open_requests"),
            min_length=domain.usable_min_length(self._usable("min_length"), max_length),
            max_length=max_length,
            expected_response_hours=self._usable("expected_response_hours"),
            unit_url=identity.unit_url(self) if asking else "",
            coaches=identity.course_coaches(self) if asking else (),
        )

    def _render(self, template, context):
        """Render one of static/html/ (auto-escaped; templates may include each other)."""
        context = Context({**context, "limits": TEMPLATE_LIMITS, "language": translation.get_language() or "en"})
        return templates.get_template(template).render(context)

    def _tips(self):
        return [line.strip() for line in (self.tips or "").splitlines() if line.strip()]

    def _fragment(self, html, script, init_fn, init_args):
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/coach_checkin.css"))
        fragment.add_javascript(i18n.js_catalog(translation.get_language()))
        fragment.add_javascript(loader.load_unicode("static/js/common.js"))
        fragment.add_javascript(loader.load_unicode(f"static/js/{script}"))
        fragment.initialize_js(init_fn, init_args)
        return fragment

    # Learner

    def _learner_context(self, viewer):
        point = self.checkin_point()
        requests = queries.learner_requests(point.point_id, viewer.user_id)
        open_count = sum(1 for r in requests if r.is_active())
        return {
            "block": self,
            "point": point,
            "requests": requests,
            "can_ask": point.may_ask(open_count),
            "open_count": open_count,
            "version": queries.requests_version(requests),
            "waiting": any(r.waits_for_a_coach() for r in requests),
            "preferences": queries.email_preferences(identity.course_key(self), viewer.user_id),
            "typical_hours": typical_wait_hours(
                point.course_key, point.point_id, point.expected_response_hours
            )[0],
        }

    def student_view(self, context=None):
        """The learner's form and requests, or the coach queue when the viewer is a coach (in Studio, a preview)."""
        viewer = identity.current_viewer(self)
        if viewer.in_studio:
            return self._studio_preview()
        if viewer.is_coach:
            return self._coach_fragment(viewer, "student_view")
        context = self._learner_context(viewer)
        html = self._render(
            "learner.html",
            {**context, **self._texts(), "tips": self._tips(), "panel": self._render("learner_panel.html", context)},
        )
        return self._fragment(
            html,
            "learner.js",
            "CoachCheckinLearner",
            {
                "poll_seconds": POLL_SECONDS,
                "version": context["version"],
                "waiting": context["waiting"],
            },
        )

    def _learner_state(self, viewer):
        context = self._learner_context(viewer)
        if context["requests"] and not self.asked_here:
            self.asked_here = True  # saved by the runtime after the handler
        return {
            "requests": [queries.request_dict(r) for r in context["requests"]],
            "can_ask": context["can_ask"],
            "version": context["version"],
            "waiting": context["waiting"],
            "preferences": context["preferences"],
            "html": self._render("learner_panel.html", context),
        }

    @json_action()
    def learner_state(self, data, viewer):
        """The learner's requests at this point, and the panel showing them."""
        return self._learner_state(viewer)

    @json_action()
    def ask(self, data, viewer):
        """Open a request; the same client_token twice makes one request."""
        request = workflow.ask_for_help(
            self.checkin_point(asking=True),
            viewer.as_person(),
            working_on=data.get("working_on"),
            stuck_on=data.get("stuck_on"),
            tried=data.get("tried"),
            link=data.get("link"),
            client_token=data.get("client_token"),
            publish=events.from_block(self),
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def reply(self, data, viewer):
        """Answer the coach on one of the learner's answered requests."""
        request = workflow.learner_reply(
            self.checkin_point(), viewer.as_person(), _request_id(data), data.get("body"),
            publish=events.from_block(self),
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def withdraw(self, data, viewer):
        """Withdraw one of the learner's requests that is still waiting."""
        request = workflow.withdraw_request(
            self.checkin_point(), viewer.as_person(), _request_id(data), publish=events.from_block(self)
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def resolve(self, data, viewer):
        """Mark an answered request resolved, with a rating from 1 to 5 and an optional comment."""
        request = workflow.resolve_request(
            self.checkin_point(), viewer.as_person(), _request_id(data), data.get("rating"), data.get("comment"),
            publish=events.from_block(self),
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def email_preferences(self, data, viewer):
        """Choose the emails of this course's check-ins: answer_emails and reminder_emails (booleans)."""
        workflow.set_email_preferences(
            identity.course_key(self),
            viewer.as_person(),
            answer_emails=data.get("answer_emails"),
            reminder_emails=data.get("reminder_emails"),
        )
        return self._learner_state(viewer)

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):
        """Staff reset a learner's state at this point: delete their requests here (the LMS then
        deletes the learner's StudentModule of the block, where `asked_here` lives)."""
        workflow.delete_learner_requests([user_id], point_id=identity.point_id(self))

    # Coach

    def _queue(self, data):
        scope = _optional_text(data, "scope") or "course"
        if scope not in ("course", "point"):
            raise JsonHandlerError(400, _("scope: choose course or point."))
        status = _optional_text(data, "status") or "open"
        order = _optional_text(data, "order") or "oldest"
        queue = queries.CoachQueue(
            identity.course_key(self),
            point_id=identity.point_id(self) if scope == "point" else None,
            status=status,
            order=order,
        )
        page = queue.page(after=_optional_text(data, "after"), before=_optional_text(data, "before"))
        filters = {"scope": scope, "status": status, "order": order}
        return page, filters

    def _queue_html(self, page, filters):
        return self._render("coach_queue.html", {"page": page, "filters": filters})

    def _analytics_html(self, scope, period, with_periods=True):
        stats = point_analytics(
            identity.course_key(self), identity.point_id(self) if scope == "point" else None, period
        )
        context = charts.analytics_context(stats, dict(TOPICS))
        uid = f"{identity.point_id(self)}-{scope}".replace(".", "-")
        periods = charts.period_choices() if with_periods else ()
        html = self._render("analytics.html", {**context, "scope": scope, "periods": periods, "uid": uid})
        return stats, html

    @json_action(team_only=True, in_studio=True)
    def analytics(self, data, viewer):
        """Analytics of this point (scope "point") or the course (scope "course") for period 7, 30, 90 or all."""
        scope = _optional_text(data, "scope") or "course"
        if scope not in ("course", "point"):
            raise JsonHandlerError(400, _("scope: choose course or point."))
        stats, html = self._analytics_html(scope, _optional_text(data, "period") or DEFAULT_PERIOD)
        return {"analytics": stats.as_dict(), "html": html}

    @XBlock.handler
    def export_csv(self, request, suffix=""):
        """Send a coach to the download of the course's requests (?file=requests) or their messages
        (?file=messages): a redirect to a short-lived signed link, whose view streams the CSV."""
        viewer = identity.current_viewer(self)
        if viewer.in_studio:
            return Response(str(STUDIO_PREVIEW), status=403, content_type="text/plain")
        if not viewer.is_coach:
            return Response(_("Only the coaches of this course can do this."), status=403, content_type="text/plain")
        name = request.GET.get("file", "requests")
        if name not in exports.EXPORT_FILES:
            return Response(_("file: choose requests or messages."), status=400, content_type="text/plain")
        response = Response(status=302, location=exports.export_link(identity.course_key(self), name, viewer.user_id))
        response.cache_control.no_store = True
        return response

    def _coach_fragment(self, viewer, view):
        page, filters = self._queue({})
        html = self._render(
            "coach.html",
            {
                "block": self,
                **self._texts(),
                "viewer": viewer,
                "view": view,
                "queue": self._queue_html(page, filters),
                "analytics": self._analytics_html("course", DEFAULT_PERIOD)[1],
                "export_requests_url": self.runtime.handler_url(self, "export_csv", query="file=requests"),
                "export_messages_url": self.runtime.handler_url(self, "export_csv", query="file=messages"),
                "filters": filters,
                "statuses": QUEUE_STATUS_CHOICES,
            },
        )
        return self._fragment(
            html, "coach.js", "CoachCheckinCoach", {"poll_seconds": POLL_SECONDS}
        )

    @json_action(coach_only=True)
    def queue(self, data, viewer):
        """A page of the course's coach queue: filters scope, status, order; cursors after / before."""
        page, filters = self._queue(data)
        return {
            "rows": [queries.queue_row_dict(r) for r in page.rows],
            "next": page.next_cursor,
            "previous": page.previous_cursor,
            "filters": filters,
            "html": self._queue_html(page, filters),
        }

    def _detail(self, request_id, viewer):
        request, others = queries.coach_request_detail(identity.course_key(self), request_id)
        html = self._render(
            "coach_request.html",
            {
                "request": request,
                "others": others,
                "holds_claim": request.claim_is_active() and request.claimed_by == viewer.user_id,
            },
        )
        return {
            "request": queries.request_dict(request),
            "other_requests": [queries.queue_row_dict(o) for o in others],
            "html": html,
        }

    @json_action(coach_only=True)
    def request_detail(self, data, viewer):
        """One request of the course: its thread, its claim and the learner's other requests."""
        return self._detail(_request_id(data), viewer)

    @json_action(coach_only=True)
    def claim(self, data, viewer):
        """Claim a request for `domain.CLAIM_DURATION`, or extend one's own claim."""
        request = workflow.claim_request(
            identity.course_key(self), _request_id(data), viewer.as_person(), publish=events.from_block(self)
        )
        return self._detail(request.pk, viewer)

    @json_action(coach_only=True)
    def release(self, data, viewer):
        """Let go of one's claim on a request."""
        request = workflow.release_claim(
            identity.course_key(self), _request_id(data), viewer.as_person(), publish=events.from_block(self)
        )
        return self._detail(request.pk, viewer)

    @json_action(coach_only=True)
    def coach_reply(self, data, viewer):
        """Answer a request one holds the claim on."""
        request = workflow.coach_reply(
            identity.course_key(self), _request_id(data), viewer.as_person(), data.get("body"),
            publish=events.from_block(self),
        )
        return self._detail(request.pk, viewer)

    # Studio

    def _studio_preview(self):
        """What Studio's preview of the learner view shows: the point as learners meet it, without the form."""
        html = self._render("learner.html", {**self._texts(), "tips": self._tips(), "preview": True})
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/coach_checkin.css"))
        return fragment

    def author_view(self, context=None):
        """What Studio shows on the unit page: this point's settings and open requests, and for the
        course team its analytics and where coaches answer (the unit in the LMS)."""
        viewer = identity.current_viewer(self)
        html = self._render(
            "author.html",
            {
                "block": self,
                "point": self.checkin_point(),
                **self._texts(),
                "tips": self._tips(),
                "topic_label": dict(TOPICS).get(self.topic, self.topic),
                "open_count": queries.count_open_at_point(identity.course_key(self), identity.point_id(self)),
                "coach_ids": identity.parse_coach_ids(self.coach_ids),
                "analytics": self._analytics_html("point", DEFAULT_PERIOD, with_periods=viewer.is_course_team)[1],
                "unit_url": identity.unit_url(self) if viewer.is_course_team else "",
            },
        )
        if not viewer.is_course_team:
            fragment = Fragment(html)
            fragment.add_css(loader.load_unicode("static/css/coach_checkin.css"))
            return fragment
        return self._fragment(html, "author.js", "CoachCheckinAuthor", {})

    def add_xml_to_node(self, node):
        """Write this block's OLX (course export, duplication, copy and paste), without the coach list.

        `coach_ids` names people of one installation (the workbench has no course team); in Open
        edX the course team coaches. It is read from OLX, as the workbench's scenarios give it,
        but never written: an exported course carries no list of user ids.
        """
        super().add_xml_to_node(node)
        node.attrib.pop("coach_ids", None)
        for child in node.findall(f"{{{XML_NAMESPACES['option']}}}coach_ids"):
            node.remove(child)

    def studio_view(self, context=None):
        """The settings editor of xblock.utils, able to save outside Studio too (in the workbench)."""
        fragment = super().studio_view(context)
        fragment.add_javascript(loader.load_unicode("static/js/studio_outside_studio.js"))
        return fragment

    @XBlock.handler
    def submit_studio_edits(self, request, suffix=""):
        """Save the editor's settings (xblock.utils' handler), for those who may edit the course only.

        The body must be `{"values": {setting: value}, "defaults": [setting, ...]}`: the settings to
        change and those to reset. Anything else, another person, or a value `validate_field_data`
        refuses, is answered 4xx with a message, and nothing is saved.
        """
        try:
            data = read_json_body(request)
            if not identity.may_edit_settings(self):
                raise JsonHandlerError(403, _("Only the course team can change these settings."))
            self._check_studio_edits(data)
        except JsonHandlerError as error:
            return error_response(error)
        return super().submit_studio_edits(request, suffix)

    def _check_studio_edits(self, data):
        """Refuse an editor's body xblock.utils could not take (it would answer 500), naming what is wrong."""
        values, defaults = (data.get("values"), data.get("defaults")) if isinstance(data, dict) else (None, None)
        if not (isinstance(values, dict) and isinstance(defaults, list) and all(isinstance(n, str) for n in defaults)):
            raise JsonHandlerError(400, _(
                "Send the settings as a JSON object: “values”, an object of the settings to change, and "
                "“defaults”, a list of the settings to reset."
            ))
        for name in [*values, *defaults]:
            if name not in self.editable_fields:
                raise JsonHandlerError(400, _("“{name}” is not a setting of this check-in point.").format(
                    name=_quoted(name)))
        for name, value in values.items():
            label = _(self.fields[name].display_name)
            if name in NUMBER_SETTINGS:
                if isinstance(value, (list, dict)):
                    raise JsonHandlerError(400, _("{field}: enter a whole number.").format(field=label))
            elif not isinstance(value, str):
                raise JsonHandlerError(400, _("{field}: expected text.").format(field=label))

    def validate_field_data(self, validation, data):
        """Refuse settings that would make the check-in unusable, naming each setting and its value.

        Studio runs this on save and shows it under the component (the block's `validate()`), so an
        author also learns here what an imported course got wrong.
        """
        def error(text):
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))

        if not (data.display_name or "").strip():
            error(_("Give the check-in point a display name."))
        if data.topic not in dict(TOPICS):
            error(_("Choose one of the offered topics."))
        usable = {}
        for name in NUMBER_SETTINGS:
            field, value = self.fields[name], getattr(data, name)
            label = _(field.display_name)
            if value is None:
                error(_("{field}: enter a whole number.").format(field=label))
            elif not is_whole_number(value):
                error(_("{field}: enter a whole number, not “{value}”.").format(field=label, value=_quoted(value)))
            elif field.bounds.usable(value) != value:
                error(_("{field}: enter a number from {min} to {max}, not {value}.").format(
                    field=label, min=field.bounds.minimum, max=field.bounds.maximum, value=_quoted(value)))
            else:
                usable[name] = value
        lengths = usable.get("min_length"), usable.get("max_length")
        if None not in lengths and domain.usable_min_length(*lengths) != lengths[0]:
            error(_("{field}: enter a number from {min} to the maximum length ({max}), not {value}.").format(
                field=_(self.fields["min_length"].display_name), min=domain.MIN_LENGTH.minimum,
                max=usable["max_length"], value=usable["min_length"]))
