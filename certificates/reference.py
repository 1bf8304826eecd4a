"""The pass rules of the sources (``PassRule``), loaded by a data migration and by transactional tests.

- 保安员 (4-07-05-01), Jiangsu 《关于开展保安员职业技能鉴定工作的通知》 三: five levels (初级 5, 中级 4, 高级 3,
  保安师 2, 高级保安师 1); theory and skill each out of 100, pass at 60 (“成绩达60分以上者为合格”); 初级 candidates
  who hold a 保安员证 are exempt from the theory exam within 3 years; levels 5–3 by computer exam, levels 2–1 by
  written exam and thesis defence (the defence marked out of 100 and passed at 60 like the other parts).
- 保卫管理员 (3-02-02-00), 陕公通字〔2023〕64号 三（二）: levels 3–1 by theory exam and skill test, with the
  comprehensive review (综合评审) for 二级/技师 and 一级/高级技师; the national skill standard (2020) marks each
  part out of 100 and passes it at 60 or above.
"""

from __future__ import annotations

JIANGSU = "江苏省公安厅、人社厅《关于开展保安员职业技能鉴定工作的通知》三"
SHAANXI = "陕公通字〔2023〕64号 三（二）；《保卫管理员国家职业技能标准》（2020年版）"

# Where a reader outside Shaanxi sees a 保卫管理员 rule's basis: Guangxi's own notice (二、评价活动管理: "严格按照
# 《保卫管理员国家职业标准》… 开展三级/高级工、二级/技师、一级/高级技师的考核认定") and the national standard, which
# sets the exam parts — never Shaanxi's document, which does not apply there. The rule rows keep their exact source.
GUANGXI_MANAGER_BASIS = (
    "广西壮族自治区人力资源和社会保障厅 广西壮族自治区公安厅《关于开展保卫管理员职业技能等级认定有关事项的通知》二；"
    "《保卫管理员国家职业技能标准》（2020年版）"
)
NATIONAL_MANAGER_BASIS = "《保卫管理员国家职业技能标准》（2020年版）"

GUARD = "4-07-05-01"
MANAGER = "3-02-02-00"

# (occupation, level, method, theory, skill, review, defence, guard-card exemption years, source)
PASS_RULES = [
    (GUARD, 5, "computer", 60, 60, None, None, 3, JIANGSU),
    (GUARD, 4, "computer", 60, 60, None, None, None, JIANGSU),
    (GUARD, 3, "computer", 60, 60, None, None, None, JIANGSU),
    (GUARD, 2, "written_defence", 60, 60, None, 60, None, JIANGSU),
    (GUARD, 1, "written_defence", 60, 60, None, 60, None, JIANGSU),
    (MANAGER, 3, "exam", 60, 60, None, None, None, SHAANXI),
    (MANAGER, 2, "exam_review", 60, 60, 60, None, None, SHAANXI),
    (MANAGER, 1, "exam_review", 60, 60, 60, None, None, SHAANXI),
]


def load_pass_rules(pass_rule_model, occupation_model) -> None:
    for code, level, method, theory, skill, review, defence, exemption, source in PASS_RULES:
        occupation = occupation_model.objects.filter(code=code).first()
        if occupation is None:
            continue
        pass_rule_model.objects.update_or_create(
            occupation=occupation,
            level=level,
            defaults={
                "method": method,
                "theory_min": theory,
                "skill_min": skill,
                "review_min": review,
                "defence_min": defence,
                "guard_card_exemption_years": exemption,
                "source": source,
            },
        )


def pass_rule_basis(source: str, region) -> str:
    """The basis of a pass rule as a reader in ``region``'s province should read it: Shaanxi's document only in
    Shaanxi; Guangxi's notice and the national standard in Guangxi; the national standard elsewhere."""
    from portal.lib.provinces import GUANGXI, SHAANXI_SECURITY_MANAGER, in_shaanxi, province_code

    if SHAANXI_SECURITY_MANAGER not in source or in_shaanxi(region):
        return source
    return GUANGXI_MANAGER_BASIS if province_code(region) == GUANGXI else NATIONAL_MANAGER_BASIS
