"""Reports and blocks in Chromium against a live workbench: Karim reports Paul's request from its page; Léa no
longer reads its text; the course team (Karim) upholds the report and blocks Paul with a reason, from the
request's review page; Paul, at the block, reads why he cannot ask any more, and has no form."""
import pytest
from playwright.sync_api import expect
from story import ASK, KARIM, LEA, PAUL, ask
from story.browser import desk_address
from story.workbench import ENGLISH_COURSE, ENGLISH_UNIT

from coach_xblock import identity
from coach_xblock.domain import CheckinPoint, Person
from coach_xblock.models import CheckinRequest, LearnerBlock

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

INSULT = "Paul's request insults the coaches by name."
WHY_BLOCK = "Insulted the coaches in two requests."


def test_karim_reports_pauls_request_the_course_team_upholds_it_and_blocks_paul(open_page):
    skills = identity.course_points(ENGLISH_COURSE)[0]
    point = CheckinPoint(course_key=ENGLISH_COURSE, point_id=skills.point_id, title=skills.title, topic="skills")
    request = ask(point, Person(PAUL, PAUL))

    karim = open_page(desk_address(ENGLISH_COURSE, "desk_request", request_id=request.pk), KARIM)
    expect(karim.locator(".coach-ask")).to_contain_text(ASK["stuck_on"])
    karim.get_by_text("Report this request as inappropriate").click()
    karim.get_by_label("Why is it inappropriate?").fill(INSULT)
    karim.get_by_role("button", name="Report to the course team").click()
    expect(karim.get_by_role("status")).to_contain_text("You reported this request")

    lea = open_page(desk_address(ENGLISH_COURSE, "desk_request", request_id=request.pk), LEA)
    expect(lea.locator(".coach-report-notice")).to_contain_text("Reported by coach_karim on")
    expect(lea.locator("main")).not_to_contain_text(ASK["stuck_on"])
    expect(lea.get_by_role("button", name="Claim this request (30 minutes)")).to_have_count(0)
    queue = open_page(desk_address(ENGLISH_COURSE), LEA)
    expect(queue.locator("tr[data-request-id]")).to_have_count(0)

    karim.get_by_role("link", name="Moderation").click()
    expect(karim.locator("main")).to_contain_text(INSULT)
    karim.get_by_role("link", name=f"Review request #{request.pk}").click()
    expect(karim.locator(".coach-ask")).to_contain_text(ASK["stuck_on"])
    karim.get_by_role("button", name="Uphold the report: close the request").click()
    expect(karim.get_by_role("status")).to_contain_text("The report is upheld")
    assert CheckinRequest.objects.get(pk=request.pk).status == "removed"

    karim.goto(karim.url.split("/moderation/")[0] + f"/moderation/requests/{request.pk}/?student={KARIM}")
    karim.get_by_label("Why block them?").fill(WHY_BLOCK)
    karim.get_by_role("button", name=f"Block {PAUL}", exact=True).click()
    expect(karim.get_by_role("status")).to_contain_text("The learner is blocked")
    expect(karim.locator("main")).to_contain_text(WHY_BLOCK)
    assert LearnerBlock.objects.get().reason == WHY_BLOCK

    paul = open_page(ENGLISH_UNIT, PAUL)
    for block in (paul.locator('[data-block-type=coach_checkin]').nth(0),
                  paul.locator('[data-block-type=coach_checkin]').nth(1)):
        expect(block.locator(".coach-blocked")).to_contain_text(
            "The course team has blocked you from asking the coaches of this course.")
        expect(block.locator("form.coach-ask-form")).to_have_count(0)
    expect(paul.locator(f"article[data-request-id='{request.pk}'] .coach-reported")).to_contain_text(
        "A coach reported this request and the course team closed it.")
    assert karim.errors == [] and lea.errors == [] and paul.errors == []
