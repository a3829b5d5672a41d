"""The gazetteer and region resolution: which province / prefecture / county a report is about.

Data: `data/divisions.tsv` (MCA codes as of 2025-12-31, built by scripts/build_divisions.py),
`data/renames.tsv` (units renamed or merged since 2013). Loaded once per process by
`gazetteer()`. Public API: `lookup`, `resolve`, `codes_for_filter`, `Division`,
`RegionNotFound`.

Modules: `gazetteer` (the units and their names), `mentions` (finding names in a text),
`evidence` (where a mention stands and what it weighs), `resolve` (choosing one unit or none).

Conventions: a district or county of a municipality (北京市朝阳区) has the municipality as
parent_code, and its Region has province = city = 北京市; a province-direct county-level unit
(济源市, 神农架林区, 石河子市) has the province as parent and city None.
"""
from junheng.regions.gazetteer import COMMON_STEMS, MUNICIPALITIES, Division, Gazetteer, RegionNotFound, gazetteer
from junheng.regions.mentions import codes_for_filter, lookup
from junheng.regions.resolve import resolve

__all__ = ["COMMON_STEMS", "MUNICIPALITIES", "Division", "Gazetteer", "RegionNotFound", "codes_for_filter",
           "gazetteer", "lookup", "resolve"]
