"""The course the HTTP benchmark serves: a workbench scenario of its own, whose check-in point has 20 coaches.

Added after the workbench's own scenarios, by the benchmark's process and then by gunicorn's master
(`coach_dev.bench_wsgi`), one after the other: both find the block under the same usage id.
"""
from workbench.scenarios import add_xml_scenario, get_scenarios

SCENARIO_ID = "coach_http_bench"
COACHES = tuple(f"bench_coach_{number:02d}" for number in range(20))
XML = f"""
<vertical_demo>
  <coach_checkin display_name="Naming my skills" topic="skills" expected_response_hours="48"
      max_open_requests="1" min_length="20" max_length="2000" coach_ids="{' '.join(COACHES)}"
      tips="Reread your last three assignments and note every action verb." />
</vertical_demo>
"""


def bench_scenario():
    """The benchmark's scenario, added to the workbench's once a process."""
    scenarios = get_scenarios()
    if SCENARIO_ID not in scenarios:
        add_xml_scenario(SCENARIO_ID, "Coach HTTP benchmark", XML)
    return scenarios[SCENARIO_ID]
