"""Reference occupations of the national occupational classification, loaded by a data migration.

保卫管理员 carries 3-02-02-00 in its 2020 national skill standard (2015 classification), unchanged in the 2022
edition; it is certified at levels 3 to 1 only. 保安员 is 4-07-05-01 with five levels (Jiangsu seed).
"""

OCCUPATIONS: list[tuple[str, str, list[int], str]] = [
    ("3-02-02-00", "保卫管理员", [1, 2, 3], "保卫管理员国家职业技能标准（2020年版）"),
    ("4-07-05-01", "保安员", [1, 2, 3, 4, 5], "保安员国家职业技能标准"),
    ("4-07-05-02", "安检员", [3, 4, 5], "安检员国家职业技能标准"),
    ("4-07-05-04", "消防设施操作员", [1, 2, 3, 4, 5], "消防设施操作员国家职业技能标准"),
    ("4-03-02-01", "中式烹调师", [1, 2, 3, 4, 5], "中式烹调师国家职业技能标准"),
    ("4-10-01-02", "育婴员", [3, 4, 5], "育婴员国家职业技能标准"),
    ("6-31-01-03", "电工", [1, 2, 3, 4, 5], "电工国家职业技能标准"),
    ("6-18-02-04", "焊工", [1, 2, 3, 4, 5], "焊工国家职业技能标准"),
    ("6-18-01-01", "车工", [1, 2, 3, 4, 5], "车工国家职业技能标准"),
]


def load_occupations(occupation_model) -> None:
    for code, name, levels, standard in OCCUPATIONS:
        occupation_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "levels": levels, "standard": standard, "classification": "2022"},
        )
