"""Derived KPIs: a formula over other KPIs' keys with + − × ÷ and parentheses, read safely (no eval)."""

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation

_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class FormulaError(ValueError):
    pass


def parse(formula: str) -> ast.Expression:
    """The formula's tree, refused unless it uses only numbers, KPI keys and + − × ÷."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(formula) from exc
    for node in ast.walk(tree):
        allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.Name, ast.Load, ast.Constant, *_OPS)
        if not isinstance(node, allowed) or (
            isinstance(node, ast.Constant) and not isinstance(node.value, int | float)
        ):
            raise FormulaError(formula)
    return tree


def names(formula: str) -> set[str]:
    return {n.id for n in ast.walk(parse(formula)) if isinstance(n, ast.Name)}


def evaluate(formula: str, values: dict[str, Decimal]) -> Decimal | None:
    """The formula's value, or None when a KPI it needs is missing or it divides by zero."""

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if values.get(node.id) is None:
                raise KeyError(node.id)
            return Decimal(values[node.id])
        if isinstance(node, ast.UnaryOp):
            return -walk(node.operand)
        return _OPS[type(node.op)](walk(node.left), walk(node.right))

    try:
        result = walk(parse(formula))
    except (KeyError, DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None
    return result.quantize(Decimal("0.01"))
