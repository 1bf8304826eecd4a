"""Reference regions (GB/T 2260 codes) loaded by a data migration; admins may add more later.

杨凌示范区 has no prefecture-level code of its own: the province addresses it beside the cities
("各市、杨凌示范区"), so it is kept at city level under the GB/T 2260 code of 杨陵区 (610403), the district it
administers.
"""

PROVINCES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "450000": (
        "广西壮族自治区",
        [
            ("450100", "南宁市"),
            ("450200", "柳州市"),
            ("450300", "桂林市"),
            ("450400", "梧州市"),
            ("450500", "北海市"),
            ("450600", "防城港市"),
            ("450700", "钦州市"),
            ("450800", "贵港市"),
            ("450900", "玉林市"),
            ("451000", "百色市"),
            ("451100", "贺州市"),
            ("451200", "河池市"),
            ("451300", "来宾市"),
            ("451400", "崇左市"),
        ],
    ),
    "610000": (
        "陕西省",
        [
            ("610100", "西安市"),
            ("610200", "铜川市"),
            ("610300", "宝鸡市"),
            ("610400", "咸阳市"),
            ("610500", "渭南市"),
            ("610600", "延安市"),
            ("610700", "汉中市"),
            ("610800", "榆林市"),
            ("610900", "安康市"),
            ("611000", "商洛市"),
            ("610403", "杨凌示范区"),
        ],
    ),
    "500000": ("重庆市", []),
    "320000": (
        "江苏省",
        [
            ("320100", "南京市"),
            ("320200", "无锡市"),
            ("320300", "徐州市"),
            ("320400", "常州市"),
            ("320500", "苏州市"),
            ("320600", "南通市"),
            ("320700", "连云港市"),
            ("320800", "淮安市"),
            ("320900", "盐城市"),
            ("321000", "扬州市"),
            ("321100", "镇江市"),
            ("321200", "泰州市"),
            ("321300", "宿迁市"),
        ],
    ),
}

# County-level regions named by the seeds (Wuxi's county norms; Chongqing's 巫溪县).
COUNTIES: list[tuple[str, str, str]] = [
    ("500238", "巫溪县", "500000"),
    ("320281", "江阴市", "320200"),
    ("320282", "宜兴市", "320200"),
    ("450102", "兴宁区", "450100"),
    ("450103", "青秀区", "450100"),
    ("450105", "江南区", "450100"),
    ("450107", "西乡塘区", "450100"),
    ("450108", "良庆区", "450100"),
    ("450109", "邕宁区", "450100"),
    ("450110", "武鸣区", "450100"),
    ("450123", "隆安县", "450100"),
    ("450124", "马山县", "450100"),
    ("450125", "上林县", "450100"),
    ("450126", "宾阳县", "450100"),
    ("450181", "横州市", "450100"),
    ("450202", "城中区", "450200"),
]


def load_regions(region_model) -> None:
    """Create or update the reference regions; takes the model so a migration can pass its historical one."""

    def put(code: str, name: str, level: str, parent) -> object:
        path = (parent.path if parent else "") + f"{code}/"
        region, _ = region_model.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
        )
        return region

    by_code = {}
    for code, (name, cities) in PROVINCES.items():
        province = by_code[code] = put(code, name, "province", None)
        for city_code, city_name in cities:
            by_code[city_code] = put(city_code, city_name, "city", province)
    for code, name, parent_code in COUNTIES:
        put(code, name, "county", by_code[parent_code])
