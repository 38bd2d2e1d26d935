"""The labelled set: which sample offers fit which sample demands, judged by reading
the records (not by running the matcher), with the near misses a matcher must avoid.

For each current open demand of the sample site (reference date 2025-09-25): every open
offer is labelled "fit" or "not" when it serves the demand's place or is a near miss
for another reason. Near misses, marked in the comments:
  region  right field, wrong region (the offer serves another city or county)
  partner an offer for the whole province does not reach a partner region
  status  the right offer, but full or closed
  field   the same forms of help, another field of work
  topic   same field and forms, another subject

precision@5: of the offers in the demands' top 5, the share labelled fit (an unlabelled
offer in a top 5 counts as wrong). recall@5: of the offers labelled fit, the share in
their demand's top 5.
"""
from __future__ import annotations

LABELS: dict[str, dict[str, list[str]]] = {
    # 山亭区（枣庄）村级调解员和志愿者能力培训 — 乡村治理
    "d-370406-2025-001": {
        "fit": ["s-village-rules-2025"],
        "not": ["s-care-elderly-2025",  # field: trains volunteers, but for elderly care
                "s-agri-tech-2025", "s-ecommerce-live-2025"]},
    # 五莲县茶园生态种植技术指导 — 产业发展, also asks for sales channels
    "d-371121-2025-002": {
        "fit": ["s-agri-tech-2025", "s-ecommerce-live-2025"],
        "not": ["s-vegetable-weifang-2025",  # region: 潍坊 only
                "s-wulian-ecology-2025",  # field: the county's own ecology volunteers
                "s-village-rules-2025", "s-care-elderly-2025"]},
    # 沂水县村规民约修订与议事协商能力提升 — 乡村治理
    "d-371323-2025-003": {
        "fit": ["s-village-rules-2025"],
        "not": ["s-yishui-mutual-aid-2025",  # field: the county's own elderly-care volunteers
                "s-linyi-culture-2025",  # field: the city's culture training
                "s-care-elderly-2025"]},
    # 兰陵县蔬菜产销对接与消费帮扶 — 产业发展
    "d-371324-2025-001": {
        "fit": ["s-ecommerce-live-2025"],
        "not": ["s-vegetable-weifang-2025",  # region: vegetables and 产销对接, but 潍坊 only
                "s-agri-tech-2025",  # topic: growing techniques, not sales
                "s-partner-pengshui-2025"]},  # region: 聊城 and 彭水
    # 冠县（聊城）农村留守老人助餐点志愿服务 — 特殊群体关爱
    "d-371525-2025-001": {
        "fit": ["s-care-elderly-2025"],
        "not": ["s-yishui-mutual-aid-2025",  # region: 助餐 volunteers, but 沂水 only
                "s-heze-charity-2025",  # region: 菏泽 only
                "s-labor-cooperation-2025", "s-partner-pengshui-2025"]},
    # 冠县家政技能培训与劳务对接 — 人才培育
    "d-371525-2025-002": {
        "fit": ["s-labor-cooperation-2025"],
        "not": ["s-ecommerce-live-2025",  # topic: 人才培育 and 教育培训, but e-commerce
                "s-partner-pengshui-2025", "s-care-elderly-2025"]},
    # 曹县乡村文艺队伍培训 — 文化建设
    "d-371721-2025-004": {
        "fit": [],
        "not": ["s-linyi-culture-2025",  # region: exactly this, but 临沂 only
                "s-heze-charity-2025",  # topic: culture money for books, not training
                "s-care-elderly-2025"]},  # field: the same forms, for elderly care
    # 曹县互助养老服务站护理员培训（第二期） — 特殊群体关爱
    "d-371721-2025-005": {
        "fit": ["s-care-elderly-2025"],
        "not": ["s-caoxian-social-work-2025",  # status: the county's own, but full
                "s-yishui-mutual-aid-2025",  # region: 沂水 only
                "s-heze-charity-2025"]},  # topic: grants, not trainers
    # 鄄城县村庄垃圾分类入户宣传志愿服务 — 生态保护
    "d-371726-2025-004": {
        "fit": [],
        "not": ["s-juancheng-volunteer-2025",  # status: exactly this, but closed
                "s-wulian-ecology-2025",  # region: 五莲 only
                "s-agri-tech-2025",  # topic: ecology of farming, not village cleaning
                "s-care-elderly-2025"]},  # field: volunteers for the elderly
    # 临朐县（潍坊）设施蔬菜绿色防控技术培训 — 产业发展
    "d-370724-2025-002": {
        "fit": ["s-vegetable-weifang-2025", "s-agri-tech-2025"],
        "not": ["s-ecommerce-live-2025",  # topic: training and technique, for online shops
                "s-village-rules-2025"]},
    # 彭水（重庆，东西部协作）农特产品消费帮扶 — 产业发展
    "d-500243-2025-001": {
        "fit": ["s-partner-pengshui-2025"],
        "not": ["s-ecommerce-live-2025",  # partner: 消费帮扶 for the whole province, not 彭水
                "s-labor-cooperation-2025",  # field: serves 彭水, but labour
                "s-agri-tech-2025"]},  # partner
}


def pair_count() -> int:
    return sum(len(one["fit"]) + len(one["not"]) for one in LABELS.values())


def precision_recall(demand_offers: dict[str, list[dict]], top: int = 5) -> tuple[float, float, int, int, int]:
    """(precision@top, recall@top, right, shown, fits) over the labelled demands."""
    right = shown = fits = 0
    for demand, labels in sorted(LABELS.items()):
        listed = [item["id"] for item in demand_offers.get(demand, [])][:top]
        shown += len(listed)
        right += sum(1 for offer in listed if offer in labels["fit"])
        fits += len(labels["fit"])
    precision = right / shown if shown else 1.0
    recall = right / fits if fits else 1.0
    return precision, recall, right, shown, fits
