"""Kemendagri region codes as text: the one place that knows their shape.

    18              province (2 characters)
    18.09           regency or city (5)
    18.09.01        district, kecamatan (8)
    18.09.01.2003   village, desa or kelurahan (13)

Pure functions without imports, so that every layer (core's name index included) can ask them instead of
slicing codes itself.
"""

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4
CODE_LENGTH = {PROVINCE: 2, REGENCY: 5, DISTRICT: 8, VILLAGE: 13}


def level_of(code: str) -> int:
    """1 province · 2 regency · 3 district · 4 village (0 for no code)."""
    return code.count(".") + 1 if code else 0


def code_within(code: str, scope_code: str) -> bool:
    """True when a region code lies inside (or is) another: 18.09.01.2006 within 18.09."""
    return bool(code) and (code == scope_code or code.startswith(scope_code + "."))


def within_any(code: str, scope_codes) -> bool:
    return any(code_within(code, c) for c in scope_codes)


def related(a: str, b: str) -> bool:
    """One lies inside the other (either way)."""
    return code_within(a, b) or code_within(b, a)


def cut(code: str, level: int) -> str:
    """The code of the region at `level` holding this one: cut("18.09.01.2003", REGENCY) == "18.09"; "" when the
    code is above that level."""
    if level_of(code) < level:
        return ""
    return code[: CODE_LENGTH[level]]


def district_of(code: str) -> str:
    return cut(code, DISTRICT)


def regency_of(code: str) -> str:
    return cut(code, REGENCY)


def parent_of(code: str) -> str:
    """18.09.01 → 18.09; a province has none ("")."""
    return code.rsplit(".", 1)[0] if "." in code else ""


def child_length(code: str) -> int:
    """The length of the codes one level below this one ("" is the country: its children are provinces)."""
    level = level_of(code)
    return CODE_LENGTH[min(level + 1, VILLAGE)]


def ancestor_codes(code: str) -> list[str]:
    """Codes from the province down to a region's code, itself included: 18.09.01 → [18, 18.09, 18.09.01]."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def common_code(codes) -> str:
    """The smallest region holding all these codes ("" when they lie in different provinces, or none given)."""
    parts = [c.split(".") for c in codes if c]
    if not parts:
        return ""
    shared = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        shared.append(level[0])
    return ".".join(shared)
