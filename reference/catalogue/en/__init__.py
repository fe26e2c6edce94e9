"""English: the catalogue's fallback language."""


def plural(n, forms):
    """One form for exactly 1, the other for every other count: 1 point, 0 points, 1.5 points."""
    return forms[0] if n == 1 else forms[-1]
