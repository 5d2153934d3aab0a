"""The coach check-in XBlock: its fields, what learners see and do, and the parts it mixes in.

Thin on purpose: a handler turns its JSON input into a call of `workflow` or `queries` and the
result into JSON (with the re-rendered HTML of the part of the view that changed). What coaches
see is `coach_view.CoachView`'s; what authors see and edit in Studio, `authoring.Authoring`'s.
"""
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from . import charts, domain, events, formatting, i18n, identity, moderation, queries, rendering, workflow
from .analytics import DEFAULT_PERIOD, course_analytics, low_rating_comments, point_analytics, typical_wait_hours
from .authoring import Authoring
from .coach_view import CoachView
from .domain import TOPICS
from .fields import DecimalInteger
from .i18n import gettext as _
from .i18n import gettext_noop
from .jsonhandler import json_action, optional_text, request_id_of, scope_of
from .scenarios import workbench_scenarios

loader = ResourceLoader(__name__)


def _topic_values():
    return [{"value": value, "display_name": str(label)} for value, label in TOPICS]


@XBlock.needs("user")
@XBlock.needs("i18n")
@XBlock.wants("studio_user_permissions")
class CoachCheckinBlock(CoachView, Authoring, StudioEditableXBlockMixin, XBlock):
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
    poll_seconds = 30  # how often an open view looks for news (learners while they wait, coaches)
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
        return rendering.render(template, context)

    def _tips(self):
        return [line.strip() for line in (self.tips or "").splitlines() if line.strip()]

    def _fragment(self, html, script=None, init_fn=None, init_args=None):
        """`html` with our CSS, and with `script` (one of static/js/, run as `init_fn(runtime, element,
        init_args)`), the shared helpers and the JS catalogue; a page without a script has no JS."""
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/coach_checkin.css"))
        if script:
            fragment.add_javascript(i18n.js_catalog(translation.get_language()))
            fragment.add_javascript(loader.load_unicode("static/js/l10n.js"))
            fragment.add_javascript(loader.load_unicode("static/js/common.js"))
            fragment.add_javascript(loader.load_unicode(f"static/js/{script}"))
            fragment.initialize_js(init_fn, init_args)
        return fragment

    def _resource(self, path):
        """A file of the package, as text (`static/js/...`)."""
        return loader.load_unicode(path)

    # Learner

    def journal_url(self, viewer):
        """The address of the viewer's coaching journal of this block's course (`coach_xblock.journal`): every
        request of theirs there, and their email choices; in the workbench, as `viewer` (its ?student= id)."""
        path = reverse("coach_xblock:journal", kwargs={"course_id": identity.course_key(self)})
        if identity.in_openedx():
            return path
        return f"{path}?{urlencode({'student': viewer.user_id})}"

    def _learner_context(self, viewer, sent_id=None):
        """What the learner's view and panel show; `sent_id` names the request just asked, which says whether
        an email will come with the answer."""
        point = self.checkin_point()
        requests = queries.learner_requests(point.point_id, viewer.user_id)
        open_count = sum(1 for r in requests if r.is_active())
        blocked = moderation.is_blocked(point.course_key, viewer.user_id)
        return {
            "block": self,
            "point": point,
            "requests": requests,
            "blocked": blocked,
            "can_ask": not blocked and point.may_ask(open_count),
            "open_count": open_count,
            "tips": self._tips(),
            "sent_id": sent_id,
            "version": queries.requests_version(requests),
            "waiting": any(r.waits_for_a_coach() for r in requests),
            "preferences": queries.email_preferences(identity.course_key(self), viewer.user_id),
            "journal_url": self.journal_url(viewer),
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
            return self._coach_fragment(viewer)
        context = self._learner_context(viewer)
        html = self._render(
            "learner.html",
            {**context, **self._texts(), "panel": self._render("learner_panel.html", context)},
        )
        return self._fragment(
            html,
            "learner.js",
            "CoachCheckinLearner",
            {
                "poll_seconds": self.poll_seconds,
                "version": context["version"],
                "waiting": context["waiting"],
            },
        )

    def _learner_state(self, viewer, sent_id=None):
        context = self._learner_context(viewer, sent_id)
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
        """The learner's requests at this point, and the panel showing them; with the `version` the page shows
        and nothing changed since, only {"unchanged": true, "version", "waiting"}: one query, nothing drawn."""
        known = optional_text(data, "version")
        if known is not None:
            version, waiting = queries.learner_version(identity.point_id(self), viewer.user_id)
            if known == version:
                return {"unchanged": True, "version": version, "waiting": waiting}
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
        return {"request": queries.request_dict(request), **self._learner_state(viewer, sent_id=request.pk)}

    @json_action()
    def reply(self, data, viewer):
        """Answer the coach on one of the learner's answered requests."""
        request = workflow.learner_reply(
            self.checkin_point(), viewer.as_person(), request_id_of(data), data.get("body"),
            publish=events.from_block(self),
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def preview_message(self, data, viewer):
        """The HTML a reply `body`, written in Markdown, will show as once sent; nothing is saved.

        400 for a body that is not text or is longer than a reply may be here.
        """
        body = "" if data.get("body") is None else data["body"]
        label = _("Your reply")
        if not isinstance(body, str):
            raise JsonHandlerError(400, _("{field}: expected text.").format(field=label))
        body = body.strip()
        max_length = self.checkin_point().max_length
        if len(body) > max_length:
            raise JsonHandlerError(400, _("{field}: write at most {max} characters (you wrote {count}).").format(
                field=label, max=i18n.number(max_length), count=i18n.number(len(body))))
        return {"html": formatting.to_html(body)}

    @json_action()
    def withdraw(self, data, viewer):
        """Withdraw one of the learner's requests that is still waiting."""
        request = workflow.withdraw_request(
            self.checkin_point(), viewer.as_person(), request_id_of(data), publish=events.from_block(self)
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def resolve(self, data, viewer):
        """Mark an answered request resolved, with a rating from 1 to 5 and an optional comment."""
        request = workflow.resolve_request(
            self.checkin_point(), viewer.as_person(), request_id_of(data), data.get("rating"), data.get("comment"),
            publish=events.from_block(self),
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    @json_action()
    def not_helped(self, data, viewer):
        """Say the coaching of an answered request did not help, with a comment (what was missing), then ask
        again (`then` "ask_again") or close it (`then` "close", with an optional rating from 1 to 5)."""
        request = workflow.not_helped(
            self.checkin_point(), viewer.as_person(), request_id_of(data), data.get("comment"), data.get("then"),
            data.get("rating"), publish=events.from_block(self),
        )
        return {"request": queries.request_dict(request), **self._learner_state(viewer)}

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):
        """Staff reset a learner's state at this point: delete their requests here (the LMS then
        deletes the learner's StudentModule of the block, where `asked_here` lives)."""
        workflow.delete_learner_requests([user_id], point_id=identity.point_id(self))

    # Analytics, for the coach's and the author's views

    def _analytics_html(self, scope, period, for_course_team=True):
        """(stats, rows by point or None, comments, html) of this point (scope "point") or the course; the
        period's choice and the learners' comments only for the course team."""
        course, point = identity.course_key(self), identity.point_id(self) if scope == "point" else None
        stats, by_point = course_analytics(course, period) if scope == "course" else (
            point_analytics(course, point, period), None)
        comments = low_rating_comments(course, point, period) if for_course_team else []
        points = [(ref.point_id, ref.title) for ref in identity.course_points(course)] if by_point is not None else ()
        context = charts.analytics_context(stats, dict(TOPICS), points, by_point, comments)
        uid = identity.point_id(self).replace(".", "-")  # the same for both scopes: the form keeps its focus
        periods = charts.period_choices() if for_course_team else ()
        scopes = (("point", _("this check-in point")), ("course", _("the whole course, point by point")))
        html = self._render("analytics.html", {
            **context, "scope": scope, "periods": periods, "scopes": scopes if for_course_team else (), "uid": uid,
            "with_comments": for_course_team})
        return stats, context["by_point"], comments, html

    @json_action(team_only=True, in_studio=True)
    def analytics(self, data, viewer):
        """Analytics of this point (scope "point") or the course (scope "course", with a row per point) for
        period 7, 30, 90 or all, and the newest comments of low ratings and of coaching that did not help."""
        stats, by_point, comments, html = self._analytics_html(
            scope_of(data), optional_text(data, "period") or DEFAULT_PERIOD)
        return {
            "analytics": stats.as_dict(),
            "by_point": None if by_point is None else [
                {"title": row["title"], **row["figures"].as_dict()} for row in by_point
            ],
            "comments": [comment.as_dict() for comment in comments],
            "html": html,
        }
