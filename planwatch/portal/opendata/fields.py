"""The data dictionary: one `Field` per column of a dataset (name, Chinese title, type,
unit, description), the one description the CSV header, the JSON, the xlsx dictionary
sheet, the data package's table schema and the public API's schemas are all made from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# Frictionless Table Schema types used here, and the Python types of their values.
PY_TYPES: dict[str, type] = {
    "integer": int,
    "number": float,
    "string": str,
    "date": date,
    "datetime": datetime,
    "boolean": bool,
}
TYPE_TITLES = {
    "integer": "整数",
    "number": "数值",
    "string": "文本",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "时间（UTC，ISO 8601）",
    "boolean": "是/否（true/false）",
}


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    type: str
    description: str
    unit: str = ""

    def __post_init__(self) -> None:
        assert self.type in PY_TYPES, self.type

    @property
    def type_title(self) -> str:
        return TYPE_TITLES[self.type]

    def descriptor(self) -> dict[str, Any]:
        """The Table Schema field descriptor (the unit, when there is one, is said in the
        description and kept as a custom `unit` property)."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description + (f"（单位：{self.unit}）" if self.unit else ""),
        }
        if self.unit:
            out["unit"] = self.unit
        if self.type == "datetime":
            out["format"] = "default"
        return out


def F(name: str, title: str, type_: str, description: str, unit: str = "") -> Field:
    return Field(name, title, type_, description, unit)
