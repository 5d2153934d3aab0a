"""Workbench scenarios: a French and an English unit of a career-project course.

The French is typeset as French authors should write it (a no-break space, `\\u00a0`, before : ; ? !).

Each scenario is one course in the workbench (see `identity.course_key`). Open a unit as
`?student=mathilde` to play the learner and as `?student=coach_karim` to play the coach.
"""

FRENCH_UNIT = """
<vertical_demo>
  <html_demo><![CDATA[
    <h2>Définir mes compétences</h2>
    <p>Vous avez fait le test en ligne et regardé la vidéo\u00a0: il est temps de nommer vos
    compétences et de vérifier que votre projet tient debout.</p>
  ]]></html_demo>
  <coach_checkin
      display_name="Nommer mes compétences"
      topic="skills"
      expected_response_hours="48"
      max_open_requests="1"
      min_length="20"
      max_length="2000"
      coach_ids="coach_karim coach_lea"
      prompt="Vous connaissez votre métier mais ne savez pas comment nommer vos compétences\u00a0? Un coach vous aide à les formuler."
      tips="Relisez vos trois dernières missions et notez chaque verbe d’action.&#10;Comparez avec les résultats de votre test en ligne.&#10;Séparez savoir-faire techniques et savoir-être."
  />
  <coach_checkin
      display_name="Mon projet est-il réaliste\u00a0?"
      topic="feasibility"
      expected_response_hours="72"
      max_open_requests="1"
      min_length="20"
      max_length="2000"
      coach_ids="coach_karim coach_lea"
      prompt="Vous doutez de la faisabilité de votre projet professionnel\u00a0? Décrivez-le, un coach vous aide à le confronter au terrain."
      tips="Listez les conditions d’accès au métier visé (diplôme, expérience, mobilité).&#10;Cherchez trois offres d’emploi réelles et comparez-les à votre profil."
  />
</vertical_demo>
"""

ENGLISH_UNIT = """
<vertical_demo>
  <html_demo><![CDATA[
    <h2>Define your skills</h2>
    <p>You took the online test and watched the video: now name your skills and check that
    your project holds up.</p>
  ]]></html_demo>
  <coach_checkin
      display_name="Naming my skills"
      topic="skills"
      expected_response_hours="48"
      max_open_requests="1"
      min_length="20"
      max_length="2000"
      coach_ids="coach_karim coach_lea"
      prompt="You know your job but not how to name your skills? A coach helps you put them into words."
      tips="Reread your last three assignments and note every action verb.&#10;Compare them with your online test results.&#10;Separate technical know-how from soft skills."
  />
  <coach_checkin
      display_name="Is my project feasible?"
      topic="feasibility"
      expected_response_hours="72"
      max_open_requests="1"
      min_length="20"
      max_length="2000"
      coach_ids="coach_karim coach_lea"
      prompt="Unsure your career project is realistic? Describe it and a coach helps you test it against the job market."
      tips="List the entry requirements of the job you aim for (degree, experience, mobility).&#10;Find three real job offers and compare them with your profile."
  />
</vertical_demo>
"""


def workbench_scenarios():
    """The (title, XML) pairs the workbench lists on its home page."""
    return [
        ("Définir mes compétences (coach check-ins)", FRENCH_UNIT),
        ("Define your skills (coach check-ins)", ENGLISH_UNIT),
    ]
