"""The table domain in Russian."""

TEXT = {
    "table.abs": "модуль |a|",
    "table.add": "сумма a + b",
    "table.cos": "косинус cos a",
    "table.cosh": "гиперболический косинус cosh a",
    "table.div": "частное a / b",
    "table.exp": "экспонента e^a",
    "table.if_f_x_f_g": (
        "если f(x) = f(g(x)), то df/dx = df/dg · dg/dx; если значение используется в нескольких "
        "местах, вклады складываются"
    ),
    "table.log": "натуральный логарифм ln a",
    "table.mul": "произведение w·a",
    "table.neg": "смена знака −a",
    "table.pow": "степень a^b (при постоянном b — целая или вещественная степень a^n)",
    "table.relu": "ReLU (выпрямитель) max(0, a)",
    "table.sigmoid": "сигмоида σ(a) = 1/(1 + e^(−a))",
    "table.sign": "знак: 1 при a > 0, −1 при a < 0, 0 в нуле (производная модуля)",
    "table.sin": "синус sin a",
    "table.sinh": "гиперболический синус sinh a",
    "table.sqrt": "квадратный корень √a",
    "table.square": "квадрат a²",
    "table.step": "ступенька: 1 при a > 0, иначе 0 (производная relu)",
    "table.sub": "разность a − b",
    "table.tanh": "гиперболический тангенс tanh a",
}
