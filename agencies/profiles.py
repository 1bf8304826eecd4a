"""Condition profiles from the seed documents, as data. Loaded by a data migration; admins may edit copies.

Each rule names an evaluator kind of ``filings.conditions`` and quotes its clause; scope-dependent thresholds
are keyed by scope (national/region/city/county).
"""

SYSTEMS_ALL = [
    "exam_affairs",
    "examiners",
    "quality_supervision",
    "question_bank_certificates",
    "job_duties",
    "exam_rules",
    "archives_finance",
    "equipment",
]

# 附件1 三 (who cannot be a social training-evaluation organisation) and 一（五） (training as main duty, business
# scope): statements the agency declares, each checked like the other conditions. ``natures``: asked of these
# kinds of organisation only (``Organisation.Nature``); ``detail``: what the agency writes out in support.
GUANGXI_DECLARATIONS = [
    {
        "kind": "declaration",
        "clause": "有下列情形的，不能设立社会培训评价组织：政府及其所属事业单位、未与政府部门脱钩的社会团体",
        "source": "附件1 三（一）",
        "params": {
            "key": "not_government_body",
            "statement": "本机构不是政府及其所属事业单位，也不是未与政府部门脱钩的社会团体",
        },
    },
    {
        "kind": "declaration",
        "clause": "有下列情形的，不能设立社会培训评价组织：申请机构及法定代表人在培训评价领域有违法违规及失信行为",
        "source": "附件1 三（二）",
        "params": {
            "key": "no_violations",
            "statement": "本机构及其法定代表人在培训评价领域没有违法违规及失信行为",
        },
    },
    {
        "kind": "declaration",
        "clause": (
            "有下列情形的，不能设立社会培训评价组织：社会团体、民营非企业等3年内民政部门年审不合格或在民政部门"
            "非法社会组织名单内"
        ),
        "source": "附件1 三（三）",
        "params": {
            "key": "civil_affairs_inspection",
            "statement": "本机构3年内民政部门年审均合格，且不在民政部门非法社会组织名单内",
            "natures": ["association", "private_non_enterprise"],
        },
    },
    {
        "kind": "declaration",
        "clause": "有下列情形的，不能设立社会培训评价组织：企业3年内在市场监管部门公布的企业经营异常目录内",
        "source": "附件1 三（四）",
        "params": {
            "key": "no_abnormal_operation",
            "statement": "本企业3年内未列入市场监管部门公布的企业经营异常目录",
            "natures": ["enterprise"],
        },
    },
    {
        "kind": "declaration",
        "clause": "有下列情形的，不能设立社会培训评价组织：机构在人才培训和评价领域有不良记录",
        "source": "附件1 三（五）",
        "params": {"key": "no_bad_record", "statement": "本机构在人才培训和评价领域没有不良记录"},
    },
    {
        "kind": "declaration",
        "clause": "以人才培训培养为主要工作职责",
        "source": "附件1 一（五）",
        "params": {"key": "training_main_duty", "statement": "本机构以人才培训培养为主要工作职责"},
    },
    {
        "kind": "declaration",
        "clause": "具备登记或批准的培训或评价相关业务范围",
        "source": "附件1 一（五）",
        "params": {
            "key": "business_scope",
            "statement": "本机构具备登记或批准的培训或评价相关业务范围",
            "detail": "登记或批准的业务范围（照录登记证书或营业执照）",
        },
    },
]

# Wuxi's own list of management systems (溪人社发〔2021〕62号 三（一）至（八）). The seventh concerns employers that
# evaluate their own staff and the eighth technical schools: a third-party agency needs the first six, a school
# the eighth as well.
WUXI_SYSTEMS = [
    ["wuxi_administration", "行政管理制度"],
    ["wuxi_finance", "财务管理制度"],
    ["wuxi_safety", "安全管理制度"],
    ["wuxi_staff", "工作人员管理制度"],
    ["wuxi_archives", "档案管理制度"],
    ["wuxi_evaluation", "职业技能等级认定组织实施管理制度"],
    ["wuxi_talent_incentives", "技能人才培养激励制度"],
    ["wuxi_teaching_link", "教学与评价衔接制度"],
]

GUANGXI_SECURITY_MANAGER = {
    "code": "guangxi-security-manager",
    "name": "广西保卫管理员评价机构征集条件",
    "source": (
        "广西壮族自治区人力资源和社会保障厅 广西壮族自治区公安厅 关于开展保卫管理员职业技能等级认定有关事项的通知 附件1"
    ),
    "rules": [
        {
            "kind": "examiners_per_occupation",
            "clause": "考评人员应具有拟开展评价每个职业（工种）不少于3名",
            "source": "附件1 一（二）",
            "params": {"min": 3},
        },
        {
            "kind": "staff_count",
            "clause": "有专（兼）职专家队伍",
            "source": "附件1 一（二）",
            "params": {"section": "experts", "min": 1},
        },
        {
            "kind": "staff_count",
            "clause": "有内部质量督导员",
            "source": "附件1 一（二）",
            "params": {"section": "supervisors", "min": 1},
        },
        {
            "kind": "theory_rooms",
            "clause": "评价场地应包含理论知识考试考场（标准考场、智能化考场）",
            "source": "附件1 一（三）",
            "params": {"min_rooms": 1},
        },
        {
            "kind": "skill_stations",
            "clause": "评价场地应包含技能操作考核场地",
            "source": "附件1 一（三）",
            "params": {"min": 1},
        },
        {
            "kind": "video_surveillance",
            "clause": "具备视频监控设备",
            "source": "附件1 一（三）",
            "params": {},
        },
        {
            "kind": "site_ownership",
            "clause": "场地设备资产权属原则上应为评价机构所有，非自有的需提供长期租用协议或合同",
            "source": "附件1 一（三）",
            "params": {"lease_material": "lease_contract"},
        },
        {
            "kind": "management_systems",
            "clause": "具有完善的技能人才评价相关管理制度",
            "source": "附件1 一（四）",
            "params": {"required": SYSTEMS_ALL},
        },
        {
            "kind": "history_years",
            "clause": "原则上需具有连续3年以上相关培训（评价）经历",
            "source": "附件1 一（五）",
            "params": {"min": 3},
        },
        {
            "kind": "total_person_times",
            "clause": "累计5000人次以上的相关培训评价规模",
            "source": "附件1 一（五）",
            "params": {"min": 5000},
        },
        *GUANGXI_DECLARATIONS,
    ],
}

GUANGXI_2020_PILOT = {
    "code": "guangxi-2020-pilot",
    "name": "广西社会培训评价组织职业技能等级认定试点申报条件",
    "source": "桂人社函〔2020〕203号",
    "rules": [
        {
            "kind": "history_years",
            "clause": "原则上需具有连续相关培训评价经历：全国6年、全区5年、本地市3年以上",
            "source": "二（一）5",
            "params": {"min": {"national": 6, "region": 5, "city": 3}},
        },
        {
            "kind": "total_person_times",
            "clause": "累计相关培训评价规模：全国5万、全区2万、本地市5000人次以上",
            "source": "二（一）5",
            "params": {"min": {"national": 50000, "region": 20000, "city": 5000}},
        },
        {
            "kind": "person_times_per_occupation",
            "clause": "所申报的每个职业（工种）培训评价规模：全国不少于1万、全区不少于5000、本地市不少于1000人次",
            "source": "二（一）5",
            "params": {"min": {"national": 10000, "region": 5000, "city": 1000}},
        },
        {
            "kind": "max_level",
            "clause": "申请面向本地市开展认定的，原则上申报三级（高级工）及以下等级",
            "source": "一（二）",
            "params": {"max": {"city": 3}},
        },
        {
            "kind": "staff_count",
            "clause": "有质量督导人员",
            "source": "二（一）2",
            "params": {"section": "supervisors", "min": 1},
        },
        {
            "kind": "staff_count",
            "clause": "有专家团队",
            "source": "二（一）2",
            "params": {"section": "experts", "min": 1},
        },
        {
            "kind": "video_surveillance",
            "clause": "有相应的场地、设备设施（含视频监控设备）",
            "source": "二（一）2",
            "params": {},
        },
    ],
}

WUXI_COUNTY_NORMS = {
    "code": "wuxi-county-norms",
    "name": "巫溪县职业技能等级评价机构建设规范（试行）",
    "source": "溪人社发〔2021〕62号",
    "rules": [
        {
            "kind": "history_years",
            "clause": "具有连续5年以上相关培训或评价经历",
            "source": "二（三）",
            "params": {"min": 5},
        },
        {
            "kind": "total_person_times",
            "clause": "累计5000人次培训或评价规模",
            "source": "二（三）",
            "params": {"min": 5000},
        },
        {
            "kind": "person_times_per_occupation",
            "clause": "开展认定的单个职业（工种）培训或评价总量不少于500人次（新职业无要求）",
            "source": "二（三）",
            "params": {"min": 500},
        },
        {
            "kind": "site_ownership",
            "clause": "具有自有场地或连续租赁期不少于5年的租用场地",
            "source": "四",
            "params": {"lease_material": "lease_contract", "min_lease_years": 5},
        },
        {
            "kind": "area",
            "clause": "办公场地面积不少于200平方米",
            "source": "四（一）",
            "params": {"field": "office_area", "min": 200},
        },
        {
            "kind": "rooms_present",
            "clause": "须设置单独的、符合规范要求的考务办公室、题库试卷保密室、档案室",
            "source": "四（一）",
            "params": {"rooms": ["exam_office", "paper_vault", "archive_room"]},
        },
        {
            "kind": "theory_rooms",
            "clause": "应具备不少于一个能容纳30人的课桌式标准化考场",
            "source": "四（二）",
            "params": {"min_rooms": 1, "min_seats_in_one_room": 30, "standard_only": True},
        },
        {
            "kind": "desk_spacing",
            "clause": "保证单人单座，间距大于80厘米",
            "source": "四（二）",
            "params": {"more_than": 80},
        },
        {
            "kind": "area",
            "clause": "单个职业（工种）技能评价场地不少于200平方米，每增加一个职业（工种）增加100平方米",
            "source": "四（三）",
            "params": {"field": "skill_site_area", "min": 200, "per_extra_occupation": 100},
        },
        {
            "kind": "video_surveillance",
            "clause": "理论和技能评价场地应具备视频监控设备",
            "source": "五（二）",
            "params": {},
        },
        {
            "kind": "examiners_per_occupation",
            "clause": "每个职业（工种）的考评人员不少于3名",
            "source": "六（二）1",
            "params": {"min": 3},
        },
        {
            "kind": "own_examiners_per_occupation",
            "clause": "自有考评人员不少于1名",
            "source": "六（二）1",
            "params": {"min": 1},
        },
        {
            "kind": "head_of_agency",
            "clause": (
                "评价机构负责人年龄不超过65周岁，具有大学本科以上学历及中级以上专业技术职务任职资格或二级及以上国家"
                "职业资格（技能等级），具有不少于3年的教育培训考评从业经历"
            ),
            "source": "六（一）1",
            "params": {
                "max_age": 65,
                "education": ["大学本科", "硕士研究生", "博士研究生"],
                "qualifications": ["senior_title", "intermediate_title", "level_1", "level_2"],
                "min_years": 3,
            },
        },
        {
            "kind": "finance_staff",
            "clause": "财务管理人员不少于2名",
            "source": "六（一）2",
            "params": {"min": 2},
        },
        {
            "kind": "management_systems",
            "clause": (
                "评价机构应制定相关管理规章制度，包括但不限于行政管理、财务管理、安全管理、工作人员管理、档案管理、"
                "职业技能等级认定组织实施管理等制度"
            ),
            "source": "三",
            "params": {
                "catalogue": WUXI_SYSTEMS,
                "required": [code for code, _name in WUXI_SYSTEMS[:6]],
                "required_for_nature": {"school": ["wuxi_teaching_link"]},
            },
        },
        {
            "kind": "staff_count",
            "clause": "内部质量督导人员不少于2名",
            "source": "六（二）2",
            "params": {"section": "supervisors", "min": 2},
        },
        {
            "kind": "question_bank",
            "clause": "单个职业（工种）每等级理论题库不少于800题，技能题库不少于30题",
            "source": "七（二）",
            "params": {"theory": 800, "skill": 30},
        },
    ],
}

SHAANXI_SECURITY_MANAGER = {
    "code": "shaanxi-security-manager",
    "name": "陕西保卫管理员评价机构备案条件",
    "source": "陕公通字〔2023〕64号（按职业技能等级认定通知规定标准条件）",
    # The Shaanxi opinion refers to the national notice's standard conditions, the same as Guangxi's 附件1.
    "rules": [{**rule, "source": "参照职业技能等级认定标准条件"} for rule in GUANGXI_SECURITY_MANAGER["rules"]],
}

PROFILES = [GUANGXI_SECURITY_MANAGER, GUANGXI_2020_PILOT, WUXI_COUNTY_NORMS, SHAANXI_SECURITY_MANAGER]


def load_profiles(profile_model) -> None:
    for profile in PROFILES:
        profile_model.objects.update_or_create(
            code=profile["code"],
            defaults={"name": profile["name"], "source": profile["source"], "rules": profile["rules"]},
        )
