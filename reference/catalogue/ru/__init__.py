"""Русский: язык курса по умолчанию."""


def plural(n, forms):
    """Форма для n из трёх (1 балл, 2 балла, 5 баллов); дробное n — вторая (1,5 балла)."""
    one, few, many = forms
    if n != int(n):
        return few
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
