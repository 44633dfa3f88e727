"""The reports' XLSX: the same figures as the page and the PDF (reports.report), one sheet per section."""

from django.utils.translation import gettext as _

from naikkelas.planning import reports


def _value(value) -> object:
    return "" if value is None else value


def _plan_sheet(made: reports.Report) -> tuple[str, list[str], list[list]]:
    header = [_("Code"), _("Programme / activity / sub-activity"), _("Objective (sasaran)"), _("Indicator"), _("Unit"), _("Target"),
              _("Realisation"), _("Achievement (%)"), _("Last year"), _("Renstra end target"), _("Explanation"),
              _("Budget (Rp)"), _("Spent (Rp)"), _("Budget taken up (%)"), _("Responsible bidang")]  # fmt: skip
    rows = []
    for row in made.rows:
        money = [_value(row.budget.pagu if row.budget else None), _value(row.budget.spent if row.budget else None),
                 _value(row.absorbed)]  # fmt: skip
        if not row.lines:
            rows.append(
                [row.node.code, row.node.name, "", "", "", "", "", "", "", "", *money, row.node.bidang]
            )
        for k, line in enumerate(row.lines):
            rows.append([
                row.node.code if k == 0 else "", row.node.name if k == 0 else "",
                row.node.sasaran if k == 0 else "", line.target.name, line.unit,
                _value(line.goal), _value(line.value), _value(line.achievement), _value(line.last_year),
                _value(line.end_goal), line.explanation, *(money if k == 0 else ["", "", ""]),
                row.node.bidang if k == 0 else "",
            ])  # fmt: skip
    return _("Plan"), header, rows


def _indicator_sheet(made: reports.Report) -> tuple[str, list[str], list[list]]:
    header = [
        _("Code"),
        _("Indicator"),
        _("Indicator value"),
        _("Unit"),
        _("Numerator"),
        _("Denominator"),
        _("Formula"),
    ]
    rows = [[i.code, i.name, _value(v.value), i.unit, _value(v.numerator), _value(v.denominator), i.formula]
            for i, v, _link in made.readings]  # fmt: skip
    return _("Indicators"), header, rows


def _points_sheet(made: reports.Report) -> tuple[str, list[str], list[list]]:
    header = [_("Number"), _("Point"), _("Komisi"), _("Forum"), _("Indicator"), _("Indicator value"), _("Unit"),
              _("Plan entries"), _("Budget (Rp)"), _("Spent (Rp)")]  # fmt: skip
    rows = []
    for p in made.points:
        entries = ", ".join(n.node.code for n in p.nodes)
        first = [p.point.number, p.point.text, p.point.komisi, p.point.forum]
        if not p.readings:
            rows.append([*first, "", "", "", entries, p.pagu, p.spent])
        for k, (indicator, value, _link) in enumerate(p.readings):
            rows.append([*(first if k == 0 else ["", "", "", ""]), f"{indicator.code} {indicator.name}",
                         _value(value.value), indicator.unit, *( [entries, p.pagu, p.spent] if k == 0 else ["", "", ""])])  # fmt: skip
    return _("DPRD points"), header, rows


def report_sheets(kind: str, made: reports.Report, context: dict) -> list:
    if kind == "lkjip":
        return [_plan_sheet(made), _indicator_sheet(made)]
    if kind == "lkpj":
        return [_plan_sheet(made), _points_sheet(made), _indicator_sheet(made)]
    coop_header = [_("Region"), _("Active"), _("Inactive"), _("Held RAT"), _("Members"), _("Equity (Rp)"),
                   _("Outside capital (Rp)"), _("Business volume (Rp)"), _("SHU (Rp)"), _("Reported accounts")]  # fmt: skip
    coops = [[r["region"].name, r["active"], r["inactive"], r["rat"], r["members"], r["equity"], r["outside"],
              r["volume"], r["shu"], r["reported"]] for r in context["cooperatives"]]  # fmt: skip
    sizes = reports.SIZE_KEYS
    umkm_header = [_("Sector"), "Mikro", "Kecil", "Menengah", "Besar", _("Unknown"), _("Total")]
    umkm = [[u["sector"], *[u.get(s, 0) for s in sizes], u["total"]] for u in context["umkm"]]
    return [(_("Cooperatives"), coop_header, coops), (_("UMKM"), umkm_header, umkm)]
