"""Staff reset a learner's state at a check-in, in the order the LMS's instructor dashboard does.

A stand-in of openedx/edx-platform (now openedx/openedx-platform), read on its master branch:

- lms/djangoapps/instructor/views/api.py, `ResetStudentAttempts.post`: for one learner it calls
  `enrollment.reset_student_attempts(course_id, student, module_state_key, requesting_user=...,
  delete_module=...)` and answers 400 "Module does not exist." when that raises
  `StudentModule.DoesNotExist`.
- lms/djangoapps/instructor/enrollment.py, `reset_student_attempts`: with `delete_module` ("Delete
  learner's state") it first calls the block's `clear_student_state(user_id=<the learner's anonymous
  id in the course>, course_id=..., item_id=<the usage id>, requesting_user_id=...)`, then
  `StudentModule.objects.get(student_id=..., course_id=..., module_state_key=...)` and deletes it;
  without `delete_module` ("Reset attempts") it only gets the StudentModule and sets "attempts" to 0
  in its JSON state (`_reset_module_attempts`).
- lms/djangoapps/courseware/model_data.py (`DjangoKeyValueStore`, `UserStateCache.set_many`) and
  lms/djangoapps/courseware/user_state_client.py (`DjangoXBlockUserStateClient.set_many`): the
  learner's StudentModule row of a block is created (`get_or_create`) when a `Scope.user_state`
  field of the block is written and saved (XBlock's `Runtime.handle` saves after each handler);
  reading a field creates nothing.

The workbench keeps user state in its own table, `workbench.models.XBlockState` (scope "usage", the
usage id, the user id), whose `get_for_key` creates an empty row ("{}") on a mere read: here the
learner's StudentModule is that row once a field was written into it, as the LMS creates it.
"""
import json

import pytest
from story import ASK, MATHILDE, PAUL, rows_of, unchanged
from story.workbench import ENGLISH_UNIT, page
from workbench.models import XBlockState
from workbench.runtime import WorkbenchRuntime

from coach_xblock import identity
from coach_xblock.models import Delivery

pytestmark = pytest.mark.django_db

STAFF = "staff"


class StudentModuleDoesNotExist(Exception):
    """What `StudentModule.objects.get` raises for a learner without state in the block."""


def student_module(usage_id, learner):
    """`StudentModule.objects.get(...)` of the learner and the block: their written user state."""
    row = XBlockState.objects.filter(scope="usage", scope_id=usage_id, user_id=learner).exclude(state="{}").first()
    if row is None:
        raise StudentModuleDoesNotExist(usage_id)
    return row


def reset_student_attempts(usage_id, learner, requesting_user, *, delete_module):
    """enrollment.reset_student_attempts for one learner and one block, in the platform's order."""
    block = WorkbenchRuntime(requesting_user).get_block(usage_id)  # modulestore().get_item: no learner bound
    if delete_module:
        block.clear_student_state(
            user_id=learner,  # anonymous_id_for_user(student, course_id); in the workbench, the ?student= id
            course_id=identity.course_key(block),
            item_id=usage_id,
            requesting_user_id=requesting_user,
        )
    module = student_module(usage_id, learner)
    if delete_module:
        module.delete()
    else:
        state = json.loads(module.state)
        state.update({"attempts": 0, "score_history": [], "correct_map_history": [], "student_answers_history": []})
        module.state = json.dumps(state)
        module.save()


def instructor_reset(usage_id, learner, *, delete_module=True):
    """ResetStudentAttempts.post for one learner: (status, what the instructor dashboard shows)."""
    try:
        reset_student_attempts(usage_id, learner, STAFF, delete_module=delete_module)
    except StudentModuleDoesNotExist:
        return 400, "Module does not exist."
    return 200, {"problem_to_reset": usage_id, "student": learner}


# ---------------------------------------------------------------- the unit, through the workbench


@pytest.fixture
def points(en):
    """The English unit's two check-ins (skills, feasibility), from a fresh workbench."""
    return en.skills, en.feasibility


def test_asking_writes_the_learners_user_state_at_the_point_without_her_texts(points):
    skills, feasibility = points
    skills.ask(MATHILDE)

    state = json.loads(student_module(skills.usage_id, MATHILDE).state)

    assert state and not any(text in json.dumps(state) for text in ASK.values())
    with pytest.raises(StudentModuleDoesNotExist):
        student_module(feasibility.usage_id, MATHILDE)


def test_the_reset_deletes_her_requests_at_this_point_only_and_the_dashboard_says_it_is_done(points):
    skills, feasibility = points
    hers = skills.ask(MATHILDE)
    hers_elsewhere = feasibility.ask(MATHILDE)
    pauls = skills.ask(PAUL)
    assert Delivery.objects.filter(request_id=hers).exists()
    kept = rows_of([hers_elsewhere, pauls])

    answer = instructor_reset(skills.usage_id, MATHILDE)

    assert rows_of([hers]) == ([], [], []), "her request here, its thread and its notifications are gone"
    assert rows_of([hers_elsewhere, pauls]) == kept, "her request at the other point and Paul's stay whole"
    assert answer == (200, {"problem_to_reset": skills.usage_id, "student": MATHILDE}), "no error once her data is gone"
    with pytest.raises(StudentModuleDoesNotExist):
        student_module(skills.usage_id, MATHILDE)
    assert skills.ok("learner_state", MATHILDE)["requests"] == []

    # She starts afresh here, and has state again.
    skills.ask(MATHILDE)
    assert student_module(skills.usage_id, MATHILDE)


def test_resetting_attempts_without_deleting_the_state_keeps_her_requests(points):
    skills, _feasibility = points
    hers = skills.ask(MATHILDE)
    before = rows_of([hers])

    assert instructor_reset(skills.usage_id, MATHILDE, delete_module=False)[0] == 200

    assert rows_of([hers]) == before
    assert [r["id"] for r in skills.ok("learner_state", MATHILDE)["requests"]] == [hers]


def test_a_learner_who_only_looked_has_no_state_to_reset_and_nothing_changes(points):
    skills, _feasibility = points
    skills.ask(PAUL)  # a request that must stay as it is
    page(skills.client, ENGLISH_UNIT, MATHILDE)
    skills.ok("learner_state", MATHILDE)
    with unchanged():
        assert instructor_reset(skills.usage_id, MATHILDE) == (400, "Module does not exist.")
