"""The volunteers' round graded as a team: each student owns a node of the model.

* :func:`load_team_roster`, :func:`check_students`, :class:`Roster`, :class:`Team`,
  :class:`TeamError` (:mod:`.roster`): who owns which node, checked before grading;
* :func:`play` (:mod:`.chain`): the team's chain through its members' code, in the sandbox;
* :class:`TeamResult`, :class:`Link` (:mod:`.result`): the graded chain as data, for the JSON
  line, the terminal and an HTML page;
* :func:`own_share`, :func:`with_links` (:mod:`.own`): each student's own part of the grade;
* :func:`board` (:mod:`.board`): what each volunteer receives and hands on, for the teacher.
"""

from grader.teams.board import board
from grader.teams.chain import play
from grader.teams.own import own_share, with_links
from grader.teams.result import Link, TeamResult
from grader.teams.roster import Member, Roster, Team, TeamError, check_students, load_team_roster

__all__ = [
    "Link",
    "Member",
    "Roster",
    "Team",
    "TeamError",
    "TeamResult",
    "board",
    "check_students",
    "load_team_roster",
    "own_share",
    "play",
    "with_links",
]
