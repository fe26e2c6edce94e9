"""``course serve``: the volunteers' round, live (issue 29).  This package holds the round's
store (:mod:`cli.serve.store`); its judge is ``grade --teams``'s (:mod:`grader.teams.entered`)."""
