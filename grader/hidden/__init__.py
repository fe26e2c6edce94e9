"""Hidden tests: pytest modules run by ``grade`` against each submission (never released).

``test_questions.py`` holds one test per question of the YAML; a teacher adds a custom test
in a ``test_*.py`` here (or in the course folder's ``hidden/``) with
``@pytest.mark.question("A.my_check", points=1)`` and the ``student`` fixture.
"""
