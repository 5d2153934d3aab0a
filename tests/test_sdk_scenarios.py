"""xblock-sdk's own scenario test, run against the scenarios installed with coach-xblock.

xblock-sdk ships `workbench.test.test_scenarios.ScenarioTest`: it loads the workbench home page
and checks that it links every scenario of every installed XBlock, then renders each scenario
and fails when a block's view raises or a vertical comes out empty. Importing the class here
makes pytest collect it with our settings (`coach_dev.workbench_settings`), so our two
scenarios (French and English units) go through the same check as the SDK's own blocks.
`pytestmark` must be ours: the one in xblock-sdk's module does not follow the imported class.
"""

import pytest
from workbench.scenarios import get_scenarios
from workbench.test.test_scenarios import ScenarioTest

from coach_xblock.scenarios import workbench_scenarios

pytestmark = pytest.mark.django_db

__all__ = ["ScenarioTest"]


def test_our_scenarios_are_among_those_the_sdk_test_renders(fresh_workbench):
    """Guard against the SDK test passing without ever seeing our blocks."""
    descriptions = {scenario.description for scenario in get_scenarios().values()}
    assert {title for title, _xml in workbench_scenarios()} <= descriptions
    assert {"coach_checkin.0", "coach_checkin.1"} <= set(get_scenarios())
