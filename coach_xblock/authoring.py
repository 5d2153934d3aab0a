"""What authors and the course team see and change of a check-in point: Studio's preview, the author
view, the settings editor, the settings' validation and the point's OLX.

A part of the block (`CoachCheckinBlock` mixes it in, before xblock.utils' editor, whose
`studio_view` and `submit_studio_edits` it extends). The bounds of the number settings are the
domain's (`domain.Bounds`, through each field's `bounds`).
"""
import json

from xblock.core import XML_NAMESPACES, XBlock
from xblock.exceptions import JsonHandlerError
from xblock.validation import ValidationMessage

from . import domain, identity, queries
from .analytics import DEFAULT_PERIOD
from .domain import TOPICS, is_whole_number
from .i18n import gettext as _
from .i18n import number
from .jsonhandler import error_response, read_json_body

NUMBER_SETTINGS = ("expected_response_hours", "max_open_requests", "min_length", "max_length")


class FieldValidationMessage(ValidationMessage):
    """An error of the settings' validation about one setting, which its JSON names (`field`), so that the
    editor shows it beside that setting. Studio, reading it as a ValidationMessage, shows its text."""

    def __init__(self, field, text):
        super().__init__(ValidationMessage.ERROR, text)
        self.field = field

    def to_json(self):
        """{"type", "text", "field"}."""
        return {**super().to_json(), "field": self.field}


def _quoted(value):
    """A setting's value as an author reads it in a message: as written, cut short when long."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"


class Authoring:
    """Studio's views of the block, its settings editor and their checks, and its OLX."""

    def _studio_preview(self):
        """What Studio's preview of the learner view shows: the point as learners meet it, without the form."""
        return self._fragment(self._render("learner.html", {**self._texts(), "tips": self._tips(), "preview": True}))

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
                "analytics": self._analytics_html("point", DEFAULT_PERIOD, for_course_team=viewer.is_course_team)[-1],
                "unit_url": identity.unit_url(self) if viewer.is_course_team else "",
                "desk_url": self.desk_url(viewer) if viewer.is_course_team else "",
            },
        )
        if not viewer.is_course_team:
            return self._fragment(html)
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
        """The settings editor of xblock.utils, able to save outside Studio too (in the workbench), showing
        each error of the settings' validation beside its setting (static/js/studio_edit_errors.js)."""
        fragment = super().studio_view(context)
        fragment.add_javascript(self._resource("static/js/studio_outside_studio.js"))
        fragment.add_css(self._resource("static/css/coach_checkin.css"))
        fragment.add_javascript(self._resource("static/js/studio_edit_errors.js"))
        fragment.initialize_js("CoachCheckinStudioEdit")
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
        def error(field, text):
            validation.add(FieldValidationMessage(field, text))

        if not (data.display_name or "").strip():
            error("display_name", _("Give the check-in point a display name."))
        if data.topic not in dict(TOPICS):
            error("topic", _("Choose one of the offered topics."))
        usable = {}
        for name in NUMBER_SETTINGS:
            field, value = self.fields[name], getattr(data, name)
            label = _(field.display_name)
            if value is None:
                error(name, _("{field}: enter a whole number.").format(field=label))
            elif not is_whole_number(value):
                error(name, _("{field}: enter a whole number, not “{value}”.").format(
                    field=label, value=_quoted(value)))
            elif field.bounds.usable(value) != value:
                error(name, _("{field}: enter a number from {min} to {max}, not {value}.").format(
                    field=label, min=number(field.bounds.minimum), max=number(field.bounds.maximum),
                    value=_quoted(value)))
            else:
                usable[name] = value
        lengths = usable.get("min_length"), usable.get("max_length")
        if None not in lengths and domain.usable_min_length(*lengths) != lengths[0]:
            error("min_length", _(
                "{field}: enter a number from {min} to the maximum length ({max}), not {value}."
            ).format(
                field=_(self.fields["min_length"].display_name), min=domain.MIN_LENGTH.minimum,
                max=number(usable["max_length"]), value=number(usable["min_length"])))
