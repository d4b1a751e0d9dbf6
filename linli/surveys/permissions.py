"""What each role may do with surveys, and how survey rows map to scope.

- The community admin designs surveys, reads results, exports, enters paper questionnaires.
- Grid workers and Party organisers read results and enter paper questionnaires (the grid
  worker collects them on her rounds).
- Subdistrict and district viewers read results and export.
- A resident answers the surveys aimed at him and the follow-ups sent to his household, and
  sees his own non-anonymous answers.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.surveys.models import Answer, FollowUp, Question, Response, Survey

VIEW = "surveys.view"  # surveys and their results
MANAGE = "surveys.manage"  # design and publish surveys
ENTER_PAPER = "surveys.enter_paper"  # enter a paper questionnaire
EXPORT = "surveys.export"  # responses to .xlsx
ANSWER = "surveys.answer"  # answer online (a resident)
FIGURES = "surveys.figures"  # wellbeing indices and satisfaction in the cockpit (issue 14)

grant(Role.COMMUNITY_ADMIN, VIEW, MANAGE, ENTER_PAPER, EXPORT, FIGURES)
grant(Role.GRID_WORKER, VIEW, ENTER_PAPER)
grant(Role.PARTY_ORGANISER, VIEW, ENTER_PAPER, FIGURES)
grant(Role.SUBDISTRICT_VIEWER, VIEW, EXPORT, FIGURES)
grant(Role.DISTRICT_VIEWER, VIEW, EXPORT, FIGURES)
grant(Role.RESIDENT, ANSWER)

register_scope(Survey, community="community_id")
register_scope(Question, community="survey__community_id")
register_scope(Response, community="survey__community_id", household="household_id")
register_scope(
    Answer, community="response__survey__community_id", household="response__household_id"
)
register_scope(FollowUp, community="community_id", household="household_id")
