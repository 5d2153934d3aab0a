"""A check-in point read from OLX and written back, as a course import and export do.

The platform reads a block's OLX with XBlock's own `parse_xml` (each attribute through its
field's `from_string`) and writes it with `add_xml_to_node`: edx-platform's
xmodule/modulestore/xml.py `XMLParsingModuleStoreRuntime.xblock_from_node` calls
`block_class.parse_xml(node, runtime, keys)`, and `ModuleStoreRuntime.add_block_as_child_node`
(xmodule/x_module.py) calls `block.add_xml_to_node(child)` for the course export
(xmodule/modulestore/xml_exporter.py). These tests go through the same XBlock machinery with the
workbench's runtime (`parse_xml_string`), then serve the imported blocks to learners, coaches and
authors through the workbench over HTTP, as tests/handlers/ does.

A Studio course import (cms/djangoapps/contentstore/tasks.py `import_olx`) runs with
`load_error_blocks=False`: an exception in one block's `parse_xml` fails the whole import with
"Unknown error while importing course", whatever the exception says. So a bad number does not
raise: the block keeps what the OLX says (the export gives it back unchanged), its validation
(shown by Studio on the unit page) names the field and the value, and learners get safe values.
"""
import re

import pytest
from django.test import Client
from django.utils import translation
from lxml import etree
from story import KARIM, MATHILDE, unchanged
from story.workbench import Point, ask_payload, page, usage_ids
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import add_xml_scenario

from coach_xblock.models import CheckinRequest
from coach_xblock.scenarios import ENGLISH_UNIT, FRENCH_UNIT

pytestmark = [
    pytest.mark.django_db,
    # Every test starts from the installed scenarios alone, and leaves no scenario of its own behind.
    pytest.mark.usefixtures("fresh_workbench"),
]

NUMBERS = ("expected_response_hours", "max_open_requests", "min_length", "max_length")
DEFAULTS = {"expected_response_hours": 48, "max_open_requests": 1, "min_length": 20, "max_length": 2000}
LABELS = {
    "expected_response_hours": "Expected response time (hours)",
    "max_open_requests": "Open requests per learner",
    "min_length": "Minimum length (characters)",
    "max_length": "Maximum length (characters)",
}


def parse(olx):
    """The block the workbench runtime builds from `olx`, through XBlock's parse_xml."""
    runtime = WorkbenchRuntime("olx-author")
    runtime.id_generator.set_scenario("olx-import")
    return runtime.get_block(runtime.parse_xml_string(olx))


def export(block):
    """The block's OLX element, as add_xml_to_node writes it for a course export."""
    node = etree.Element("exported")
    block.add_xml_to_node(node)
    return node


def validation_texts(block):
    """The messages of the block's validation, as Studio shows them under the component."""
    return [message["text"] for message in block.validate().to_json()["messages"]]


def checkin(**attributes):
    """A coach_checkin element with these attributes (values are written as given, escaped)."""
    node = etree.Element("coach_checkin", display_name="Naming my skills", topic="skills")
    for name, value in attributes.items():
        node.set(name, value)
    return etree.tostring(node, encoding="unicode")


# Numbers read as decimal


@pytest.mark.parametrize(
    ("written", "read"),
    [("012", 12), ("0048", 48), (" 7 ", 7), ("+5", 5), ("20", 20)],
)
def test_a_number_in_olx_reads_as_the_decimal_number_written(written, read):
    block = parse(checkin(max_open_requests=written, expected_response_hours=written))
    assert (block.max_open_requests, block.expected_response_hours) == (read, read)


@pytest.mark.parametrize("written", ["36.9", "abc", "1e3", "0x10", "1_000", "twelve", "12 requests"])
def test_a_value_that_is_not_a_decimal_whole_number_imports_and_its_validation_names_field_and_value(written):
    block = parse(checkin(expected_response_hours=written))  # imports: a bad value must not fail the course
    assert block.expected_response_hours == written  # kept as written, neither cut nor converted
    texts = validation_texts(block)
    assert len(texts) == 1, texts
    assert "Expected response time (hours)" in texts[0]
    assert written in texts[0]


@pytest.mark.parametrize("field", NUMBERS)
def test_an_empty_number_imports_and_its_validation_asks_for_a_whole_number(field):
    block = parse(checkin(**{field: ""}))
    assert validation_texts(block) == [f"{LABELS[field]}: enter a whole number."]


@pytest.mark.parametrize(
    ("field", "written", "says"),
    [
        ("max_open_requests", "0", "from 1 to 20, not 0"),
        ("max_open_requests", "99999999999999999999", "from 1 to 20, not 99999999999999999999"),
        ("expected_response_hours", "-3", "from 1 to 720, not -3"),
        ("max_length", "50000", "from 1 to 20,000, not 50000"),
        ("min_length", "-5", "from 0 to 20,000, not -5"),
    ],
)
def test_a_number_out_of_range_imports_and_its_validation_names_field_range_and_value(field, written, says):
    block = parse(checkin(**{field: written}))
    assert validation_texts(block) == [f"{LABELS[field]}: enter a number {says}."]


def test_a_minimum_length_above_the_maximum_is_named_with_both_values():
    block = parse(checkin(min_length="300", max_length="200"))
    assert validation_texts(block) == [
        "Minimum length (characters): enter a number from 0 to the maximum length (200), not 300."
    ]


def test_the_validation_speaks_the_authors_language():
    block = parse(checkin(max_open_requests="abc", min_length="-5"))
    with translation.override("fr"):
        texts = validation_texts(block)
    assert texts == [
        "«\xa0Demandes en cours par apprenant·e\xa0»\xa0: saisissez un nombre entier, et non «\xa0abc\xa0».",
        "«\xa0Longueur minimale (caractères)\xa0»\xa0: saisissez un nombre de 0 à 20\xa0000, et non -5.",
    ]


def test_the_scenarios_of_the_workbench_validate_cleanly():
    for olx in re.findall(r"<coach_checkin.*?/>", FRENCH_UNIT + ENGLISH_UNIT, re.S):
        assert validation_texts(parse(olx)) == []


# Exported as read; coach_ids never exported


def test_the_export_writes_numbers_in_decimal_and_a_bad_value_as_it_was_written():
    block = parse(checkin(max_open_requests="012", expected_response_hours="36.9", min_length=""))
    node = export(block)
    assert node.tag == "coach_checkin"
    assert node.get("max_open_requests") == "12"
    assert node.get("expected_response_hours") == "36.9"
    assert node.get("min_length") == ""
    again = parse(etree.tostring(node, encoding="unicode"))
    assert [getattr(again, name) for name in NUMBERS] == [getattr(block, name) for name in NUMBERS]


def test_coach_ids_are_read_from_olx_but_never_exported():
    block = parse(checkin(coach_ids="coach_karim coach_lea", max_open_requests="2"))
    assert block.coach_ids == "coach_karim coach_lea"  # the workbench's scenarios name their coaches so
    node = export(block)
    assert "coach_ids" not in node.attrib
    assert not [child for child in node.iter() if "coach_ids" in str(child.tag)]
    assert node.get("max_open_requests") == "2"
    assert node.get("display_name") == "Naming my skills"
    assert "coach_karim" not in etree.tostring(node, encoding="unicode")


def test_a_coach_list_of_none_is_not_exported_either():
    block = parse(checkin())
    block.coach_ids = None  # a String set to None exports as an <option:coach_ids none="true"/> child
    assert "coach_ids" not in etree.tostring(export(block), encoding="unicode")


# A block imported with bad numbers still serves everyone, with safe values

IMPORTED = {
    "empty": '<coach_checkin display_name="Empty numbers" coach_ids="coach_karim" expected_response_hours=""'
    ' max_open_requests="" min_length="" max_length=""/>',
    "garbled": '<coach_checkin display_name="Garbled numbers" coach_ids="coach_karim" expected_response_hours="36.9"'
    ' max_open_requests="abc" min_length="-5" max_length="99999999999999999999"/>',
}


@pytest.fixture(params=sorted(IMPORTED))
def imported(request, client):
    """A unit whose check-in was imported with bad numbers, served by the workbench: (kind, page URL, point)."""
    kind = request.param
    add_xml_scenario("olx_bad.0", f"Imported with {kind} numbers", f"<vertical_demo>{IMPORTED[kind]}</vertical_demo>")
    url = "/scenario/olx_bad.0/"
    [usage_id] = usage_ids(page(client, url, MATHILDE))
    return kind, url, Point(client, usage_id)


def test_every_view_of_a_block_with_bad_numbers_renders_with_safe_values(client, imported):
    kind, url, _point = imported
    learner = page(client, url, MATHILDE)
    assert "coach-ask-form" in learner
    # Defaults stand in for what is not a whole number, the range's ends for numbers beyond it.
    assert "A coach usually answers within 48 hours." in learner
    # Numbers a person reads are marked up for the viewer's locale (docs/times.md): compare their text.
    learner_text = re.sub(r"<data [^>]*>|</data>", "", learner)
    expected = "Between 20 and 2,000 characters." if kind == "empty" else "Between 0 and 20,000 characters."
    assert expected in learner_text
    assert 'maxlength="None"' not in learner and 'maxlength=""' not in learner
    assert "open the coach desk" in page(client, url, KARIM)
    author = page(client, f"{url}author_view/", KARIM)
    assert "48 hours" in author
    assert 'data-field-name="max_open_requests"' in page(client, f"{url}studio_view/", KARIM)


def test_learners_ask_at_a_block_with_bad_numbers_within_safe_limits(imported):
    kind, _url, point = imported
    assert point.ok("learner_state", MATHILDE)["can_ask"] is True
    if kind == "empty":  # no minimum length: the default, 20
        point.refused("ask", MATHILDE, ask_payload(stuck_on="x" * 19), status=400, says="at least 20")
    first = point.ok("ask", MATHILDE, ask_payload())
    assert first["can_ask"] is False  # one open request at a time, the default
    point.refused("ask", MATHILDE, ask_payload(), status=409, says="open request")
    assert CheckinRequest.objects.get().expected_response_hours == 48


def test_a_studio_save_of_a_block_with_bad_numbers_names_each_bad_field_until_fixed(imported):
    kind, _url, point = imported
    studio = Point(Client(raise_request_exception=False), point.usage_id)
    with unchanged():
        response = studio.post("submit_studio_edits", KARIM, {"values": {"prompt": "A new prompt."}, "defaults": []})
    assert response.status_code == 400, response.content
    texts = [message["text"] for message in response.json()["error"]["messages"]]
    if kind == "garbled":
        assert any("Expected response time (hours)" in text and "36.9" in text for text in texts), texts
        assert any("Open requests per learner" in text and "abc" in text for text in texts), texts
    else:
        assert texts == [f"{LABELS[name]}: enter a whole number." for name in NUMBERS]
    fixed = {"expected_response_hours": 36, "max_open_requests": 2, "min_length": 0, "max_length": 3000}
    assert point.ok("submit_studio_edits", KARIM, {"values": fixed, "defaults": []}) == {"result": "success"}
