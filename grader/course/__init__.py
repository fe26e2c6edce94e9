"""The course as the grader holds it: :mod:`.questions` (the data), :mod:`.loader` (course.yml
and the exercises' YAML, validated against ``exercise.schema.json`` and the model, each
question by its kind), :mod:`.warnings` (``course validate``'s warnings) and
:mod:`.solutions` (the reference's answers, as the stubs' solutions and the answer key)."""
