"""Gradescope: the autograder bundle (``course gradescope``), the results.json writer that
``grade --gradescope`` and the bundle share, and the course's ``gradescope:`` settings."""
