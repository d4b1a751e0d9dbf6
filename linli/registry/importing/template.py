"""The blank ledger offices download and fill in."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from linli.core.errors import NotFound
from linli.core.exporting import Export
from linli.core.permissions import Actor
from linli.registry.importing.services import import_communities
from linli.registry.importing.spec import (
    COLUMNS,
    DISABILITY_LABELS,
    EXAMPLE_MARK,
    FLAG_FIELDS,
    GENDER_LABELS,
    KEYS,
    NO,
    RELATION_LABELS,
    TENURE_LABELS,
    YES,
)
from linli.registry.models import Community, Unit

TEMPLATE_FILE_NAME = "residents-template.xlsx"


def export_template(*, actor: Actor) -> Export:
    """The template for an actor who may import (NotFound otherwise), listing the buildings of
    his community when he imports into one. It holds no personal data: not audited."""
    communities = list(import_communities(actor))
    if not communities:
        raise NotFound(_("Not found."))
    data = build_template(communities[0] if len(communities) == 1 else None)
    return Export(content=data, filename=TEMPLATE_FILE_NAME, rows=0)


def example_values() -> list[str]:
    from linli.registry.validators import id_check_char

    first17 = "11010119800101001"
    values = {c.key: c.example for c in COLUMNS}
    values["citizen_id"] = first17 + id_check_char(first17)
    return [values[k] for k in KEYS]


def build_template(community: Community | None = None) -> bytes:
    """The blank ledger: headers, one example row (skipped on import), drop-down lists for the
    choice columns, a 说明 sheet explaining each column and, for a community, its buildings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "居民信息"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    ws.append([c.header for c in COLUMNS])
    ws.append(example_values())
    grey = Font(italic=True, color="808080")
    last_row = 5000
    for i, c in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        cell.fill = required_fill if c.required else header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = c.width + 2
        ws.cell(row=2, column=i).font = grey
        if c.text:
            # Text format keeps Excel from turning ID numbers into 3.21E+17.
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(row=2, column=i).number_format = "@"
        options = _dropdown(c.key)
        if options:
            dv = DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    help_sheet = wb.create_sheet("说明")
    help_sheet.append(["列名", "是否必填", "说明", "可填写的值"])
    for cell in help_sheet[1]:
        cell.font = bold
        cell.fill = header_fill
    for c in COLUMNS:
        help_sheet.append([c.header, "必填" if c.required else "", c.help, c.values])
    help_sheet.append([])
    for line in (
        "每行一位居民；同一户的每位成员都重复填写楼栋、单元、房号。",
        "第 2 行是示例（备注为“" + EXAMPLE_MARK + "”），导入时会被跳过，可以删除。",
        "房间还没有在住户时，导入时新建一户（建筑面积、产权、楼层取该户第一行）。",
        "身份证号已登记在同一户且信息相同的行视为“未变化”，重复导入同一文件不会重复登记。",
        "只要有一行有错，整份文件都不会导入；请按错误表修改后重新上传。",
    ):
        help_sheet.append([line])
    for letter, width in zip("ABCD", (16, 10, 60, 50), strict=True):
        help_sheet.column_dimensions[letter].width = width

    if community is not None:
        places = wb.create_sheet("楼栋单元")
        places.append(["楼栋", "单元", "层数", "网格"])
        for cell in places[1]:
            cell.font = bold
            cell.fill = header_fill
        for unit in (
            Unit.objects.filter(building__community=community)
            .select_related("building__grid")
            .order_by("building__id", "number")
        ):
            places.append(
                [unit.building.number, unit.number, unit.building.floors, unit.building.grid.name]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _dropdown(key: str) -> list[str]:
    if key in FLAG_FIELDS:
        return [YES, NO]
    return {
        "tenure": list(TENURE_LABELS.values()),
        "gender": list(GENDER_LABELS.values()),
        "relation": list(RELATION_LABELS.values()),
        "disability": list(DISABILITY_LABELS.values()),
    }.get(key, [])
