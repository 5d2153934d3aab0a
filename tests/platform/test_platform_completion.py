"""Completion: a check-in point is optional help, so it neither completes on view nor keeps a unit open.

Stand-in written from openedx/completion, completion/services.py (`CompletionService`, the service
the LMS gives blocks as "completion"):
- `can_mark_block_complete_on_view(block)`: a block whose mode is COMPLETABLE, without custom
  completion and without a score, is marked complete once it has been seen (the LMS's JS reports
  the view after COMPLETION_BY_VIEWING_DELAY_MS);
- `get_completable_children(node)` / `vertical_is_complete(item)`: a unit is complete when all its
  COMPLETABLE leaves are; EXCLUDED blocks are left out; AGGREGATOR blocks are walked through.

A learner who never needed a coach must find the unit complete; one who looked at the point
without asking must not be told they completed anything.
"""
import pytest
from story.workbench import unit_block
from workbench.runtime import WorkbenchRuntime
from xblock.completable import XBlockCompletionMode

pytestmark = pytest.mark.django_db


def can_mark_block_complete_on_view(block):
    """completion/services.py, CompletionService.can_mark_block_complete_on_view."""
    return (
        XBlockCompletionMode.get_mode(block) == XBlockCompletionMode.COMPLETABLE
        and not getattr(block, "has_custom_completion", False)
        and not getattr(block, "has_score", False)
    )


def completable_leaves(node):
    """completion/services.py, CompletionService.get_completable_children."""
    mode = XBlockCompletionMode.get_mode(node)
    if mode == XBlockCompletionMode.AGGREGATOR:
        return [leaf for child in node.get_children() for leaf in completable_leaves(child)]
    return [node] if mode == XBlockCompletionMode.COMPLETABLE else []


@pytest.fixture
def unit(fresh_workbench):
    """The English unit: an HTML text and two check-in points."""
    return unit_block(WorkbenchRuntime("mathilde"))


def checkin_points(unit):
    return [child for child in unit.get_children() if child.scope_ids.block_type == "coach_checkin"]


def test_viewing_a_check_in_point_does_not_complete_it(unit):
    points = checkin_points(unit)
    assert len(points) == 2
    assert not any(can_mark_block_complete_on_view(point) for point in points)


def test_a_unit_is_complete_without_asking_a_coach(unit):
    # The platform's unit (a `vertical`) is an AGGREGATOR: its completion is that of its leaves.
    leaves = [leaf for child in unit.get_children() for leaf in completable_leaves(child)]
    assert leaves, "the unit's other content still counts"
    assert not any(leaf.scope_ids.block_type == "coach_checkin" for leaf in leaves)
