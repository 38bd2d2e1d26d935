#!/usr/bin/env python3
"""Generate a provincial-scale content repository for benchmarks.

    python bench/gen_province.py OUT_DIR [--seed N] [--scale 1.0] [--force]

At scale 1.0 the repository holds 20,000 organizations, 10,000 demands,
10,000 offers and 500 policies, spread over per-county files the way a real
province would keep them (see docs/data-format.md):

    site.yaml
    data/regions.yaml                  copied from this repository
    data/vocabulary.yaml               copied (or the SPEC's default lists)
    data/organizations/<county>.yaml   organizations based in that county
    data/projects/<county>.yaml        demands of that county + offers of its organizations
    content/policies/p-00001.md ...    policies with full front matter

Every record is valid per docs/data-format.md, so a correct checker reports no
errors. Output is deterministic: the same seed and scale give byte-identical files.

Other benchmarks import this module:

    from gen_province import generate, edit_one_file
    counts = generate(Path(tmp), seed=1, scale=0.1)
    changed = edit_one_file(Path(tmp), seed=1)
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from functools import lru_cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

BASE_COUNTS = {"organizations": 20000, "demands": 10000, "offers": 10000, "policies": 500}

# The checker refuses files over 2 MiB; a county file that would grow beyond
# SPLIT_BYTES is split into <county>.yaml, <county>-2.yaml, ... (only happens
# at scales well above 1.0).
MAX_FILE_BYTES = 2 * 1024 * 1024
SPLIT_BYTES = 1900 * 1024

DATE_MIN = dt.date(2023, 1, 1)
DATE_MAX = dt.date(2025, 12, 31)
DAYS_SPAN = (DATE_MAX - DATE_MIN).days

EDIT_MARK = "（第二期）"

# --------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100) check character
# --------------------------------------------------------------------------
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}


def _local_uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    check = 31 - total % 31
    return USCC_CHARSET[0 if check == 31 else check]


def _pick_uscc_check_char():
    """Use generator.identifiers.uscc_check_char when it exists and agrees."""
    try:
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        from generator.identifiers import uscc_check_char  # type: ignore
    except Exception:
        return _local_uscc_check_char
    samples = ["52370000MJD000011", "91350100M000100Y4", "51371721MJA12345B"]
    try:
        if all(uscc_check_char(s) == _local_uscc_check_char(s) for s in samples):
            return uscc_check_char
    except Exception:
        pass
    print("warning: generator.identifiers.uscc_check_char disagrees with GB 32100; "
          "using the local implementation", file=sys.stderr)
    return _local_uscc_check_char


# --------------------------------------------------------------------------
# Defaults used when data/vocabulary.yaml does not exist yet
# --------------------------------------------------------------------------
DEFAULT_FIELDS = [
    {"slug": "industry", "name": "产业发展"},
    {"slug": "talent", "name": "人才培育"},
    {"slug": "culture", "name": "文化建设"},
    {"slug": "ecology", "name": "生态保护"},
    {"slug": "governance", "name": "乡村治理"},
    {"slug": "care", "name": "特殊群体关爱"},
]
DEFAULT_FORMS = ["慈善捐助", "结对共建", "产业合作", "劳务协作", "人才支持",
                 "消费帮扶", "技术服务", "志愿服务", "教育培训"]
DEFAULT_CATEGORIES = ["行业协会商会", "科技类", "社会科学类", "文化体育类",
                      "公益慈善", "社会工作", "社区社会组织", "其他"]

# --------------------------------------------------------------------------
# Phrase banks, per field (keyed by the SPEC's slugs)
# Each theme: topic, title tails, beneficiaries, activities.
# --------------------------------------------------------------------------
BANKS = {
    "industry": {
        "problems": ["产业链条短、品牌影响力弱", "销售渠道单一、农产品附加值不高",
                     "经营主体带动能力不强、专业人才缺乏", "产销对接不畅、抗风险能力较弱"],
        "forms": ["产业合作", "消费帮扶", "技术服务", "慈善捐助"],
        "name_themes": ["乡村振兴", "农村电商", "农业产业", "特色农业", "乡村旅游", "农产品流通"],
        "themes": [
            ("农村电商直播", ["直播带货能力提升", "电商服务站运营支持", "农产品网销渠道拓展"],
             ["农村电商从业人员", "返乡创业青年", "农民专业合作社"],
             ["开设电商直播实操课程，讲解选品、拍摄和直播话术", "协助合作社开设网店并完成农产品上架",
              "组织直播带货专场，对接城市社区团购渠道", "建立电商服务站运营台账，跟踪销售数据",
              "培育本土带货主播，形成稳定的直播团队"]),
            ("特色农产品", ["品牌打造与包装设计", "区域公用品牌推介", "产销对接服务"],
             ["种植大户和家庭农场", "农民专业合作社", "脱贫户和监测户"],
             ["梳理特色农产品资源，提炼品牌故事", "设计统一包装和标识，规范产品分级标准",
              "组织参加农交会、展销会等推介活动", "推动产品进机关、进食堂、进社区，落实消费帮扶",
              "对接商超和批发市场，签订长期采购协议"]),
            ("设施蔬菜种植", ["技术指导服务", "标准化种植推广", "产业园提质增效"],
             ["蔬菜种植户", "村集体经济组织", "农业园区经营主体"],
             ["邀请农技专家驻村开展棚室管理技术指导", "推广水肥一体化和绿色防控技术",
              "建立示范棚，带动周边农户标准化种植", "帮助对接批发市场和商超订单",
              "编印种植技术明白纸，开展田间现场教学"]),
            ("乡村旅游", ["民宿运营培训", "农文旅融合发展", "精品线路策划"],
             ["民宿经营户", "村集体和旅游合作社", "返乡创业青年"],
             ["策划乡村旅游精品线路和研学项目", "开展民宿管理、餐饮服务和接待礼仪培训",
              "挖掘村庄历史文化资源，丰富旅游产品", "利用新媒体平台开展宣传推介",
              "组织采摘节、农事体验等节庆活动"]),
            ("农产品冷链物流", ["仓储设施建设支持", "初加工能力提升", "产地集配中心运营"],
             ["农产品加工企业", "农民专业合作社", "果蔬种植户"],
             ["援建产地预冷库和分拣包装车间", "开展农产品初加工和储运技术培训",
              "搭建县乡村三级物流配送网络", "帮助合作社对接冷链运输企业，降低损耗"]),
            ("庭院经济", ["特色种养项目", "手工编织产业扶持", "增收项目支持"],
             ["脱贫户和监测户家庭", "农村留守妇女", "低收入农户"],
             ["开展草柳编、手工刺绣等技艺培训", "提供庭院种养所需种苗和技术指导",
              "统一回收手工产品，对接外贸订单", "建立帮扶台账，跟踪农户增收情况"]),
            ("村集体经济", ["发展壮大帮扶", "经营性项目指导", "合作社规范化建设"],
             ["村两委成员", "村集体经济组织", "农民专业合作社"],
             ["帮助村集体梳理资源，策划经营性项目", "开展合作社财务管理和规范运营培训",
              "引入企业开展村企共建，发展订单农业", "指导村集体盘活闲置土地和房屋资源"]),
        ],
    },
    "talent": {
        "problems": ["本土人才总量不足、青年人才外流", "培训内容与实际需求脱节",
                     "缺少持续跟踪服务、人才留不住", "实用技能人才短缺、带动能力不强"],
        "forms": ["人才支持", "教育培训", "劳务协作", "结对共建"],
        "name_themes": ["人才发展", "职业技能", "青年创业", "乡村教育", "乡村振兴"],
        "themes": [
            ("高素质农民", ["培育计划", "技能提升培训", "田间学校建设"],
             ["种养大户和家庭农场主", "农民专业合作社带头人", "返乡创业人员"],
             ["开设现代农业经营管理和农机操作课程", "组织学员赴先进地区观摩学习",
              "建立田间学校，开展手把手教学", "为结业学员提供一年跟踪指导服务"]),
            ("返乡创业", ["创业辅导服务", "创业孵化支持", "青年创业扶持"],
             ["返乡大学生", "返乡农民工", "退役军人"],
             ["开展创业项目评估和商业计划书辅导", "链接小额贷款和创业担保政策资源",
              "提供创业孵化场地和导师结对服务", "组织创业沙龙和项目路演活动"]),
            ("乡村工匠", ["技艺培训", "培育与认定", "工作室建设"],
             ["传统手工艺人", "农村建筑工匠", "青年学徒"],
             ["聘请非遗传承人和技能大师授课", "组织乡村工匠技能比武和作品展示",
              "支持建设乡村工匠工作室，开展师带徒", "协助工匠申报职业技能等级认定"]),
            ("职业技能", ["家政服务培训", "劳务协作对接", "转移就业服务"],
             ["农村富余劳动力", "脱贫劳动力", "农村妇女"],
             ["开展家政、养老护理、月嫂等职业技能培训", "组织专场招聘会，对接用工企业岗位",
              "开展劳务协作，帮助外出务工人员稳岗就业", "跟踪就业情况，提供权益维护咨询"]),
            ("乡村教育", ["教师能力提升", "支教志愿服务", "课后托管服务"],
             ["乡村中小学教师", "农村中小学生", "乡村幼儿园"],
             ["组织城区优秀教师开展送教下乡", "开展乡村教师信息化教学能力培训",
              "招募大学生志愿者开展暑期支教", "援建乡村学校图书角和科学实验室"]),
            ("致富带头人", ["培养计划", "能力提升研修", "结对帮带"],
             ["村党组织书记和村委会成员", "产业致富带头人", "乡村振兴专干"],
             ["开展乡村振兴政策和产业发展专题研修", "组织带头人与企业家结对交流",
              "建立带头人成长档案，开展跟踪辅导", "选树优秀带头人，推广经验做法"]),
            ("乡村医生", ["业务培训", "基层卫生人才支持"],
             ["乡村医生", "村卫生室", "基层卫生人员"],
             ["组织城市医院专家开展业务授课和带教", "开展常见病、慢性病规范化诊疗培训",
              "援助村卫生室基本诊疗设备", "开展健康义诊和健康知识宣讲"]),
        ],
    },
    "culture": {
        "problems": ["公共文化设施利用率不高", "传统技艺后继乏人、保护传承力量薄弱",
                     "群众文化活动形式单一", "乡风文明建设缺少有效载体"],
        "forms": ["志愿服务", "结对共建", "慈善捐助", "教育培训"],
        "name_themes": ["乡村文化", "非遗保护", "民俗文化", "全民阅读", "文化发展"],
        "themes": [
            ("非遗传承", ["传承人培养", "非遗工坊建设", "非遗进校园活动"],
             ["非遗传承人", "农村青少年", "手工艺从业者"],
             ["开展剪纸、面塑、柳编等非遗技艺培训", "支持建设非遗工坊，带动群众居家就业",
              "组织非遗进校园、进社区展示体验活动", "整理记录非遗项目资料，建立数字档案"]),
            ("农家书屋", ["提质增效", "乡村阅读推广", "图书捐赠与管理"],
             ["农村少年儿童", "留守老人", "农村群众"],
             ["捐赠适合农村读者的图书和期刊", "培训书屋管理员，规范图书借阅管理",
              "开展亲子阅读、读书分享等活动", "推动农家书屋与新时代文明实践站融合"]),
            ("新时代文明实践", ["志愿服务活动", "移风易俗宣传", "文明家庭评选"],
             ["村民群众", "文明实践志愿者", "新婚家庭"],
             ["组建文明实践志愿服务队，常态化开展活动", "开展移风易俗、婚事新办宣传",
              "组织好媳妇、好婆婆等评选表彰活动", "编排宣传节目，用群众语言讲政策"]),
            ("乡村文艺", ["文艺团队培育", "戏曲进乡村演出", "群众文化活动"],
             ["农村文艺爱好者", "村民群众", "乡村文艺团队"],
             ["开展吕剧、柳琴戏等地方戏曲进乡村演出", "培训乡村文艺骨干，指导节目编排",
              "组织广场舞展演和村晚活动", "捐赠演出服装和音响设备"]),
            ("村史馆", ["建设与布展", "乡村记忆整理", "红色文化展陈"],
             ["村集体", "村民群众", "中小学生"],
             ["开展口述史采集，整理村庄历史资料", "设计村史馆展陈方案并协助布展",
              "培训村史馆讲解员", "组织中小学生开展研学参观"]),
            ("传统村落", ["保护利用规划", "古建筑修缮支持", "民俗文化挖掘"],
             ["传统村落村民", "村集体", "民俗文化传承人"],
             ["邀请专家编制传统村落保护利用方案", "支持古民居、古井、古桥修缮",
              "挖掘整理民俗节庆和传统手艺", "开发传统村落文化旅游产品"]),
        ],
    },
    "ecology": {
        "problems": ["环境管护机制不健全、村民参与度不高", "农业废弃物资源化利用水平低",
                     "生态修复资金和技术力量不足", "垃圾分类和污水治理基础薄弱"],
        "forms": ["志愿服务", "技术服务", "慈善捐助", "结对共建"],
        "name_themes": ["生态环保", "绿色发展", "环境保护", "乡村振兴"],
        "themes": [
            ("人居环境整治", ["志愿服务", "村庄清洁行动", "长效管护机制建设"],
             ["村民群众", "保洁员", "村集体"],
             ["组织志愿者开展村庄清洁行动", "协助村庄制定环境卫生管护制度",
              "开展美丽庭院评比和积分奖励", "培训保洁员，规范作业流程"]),
            ("垃圾分类", ["宣传督导", "积分兑换超市运营", "减量化试点"],
             ["村民群众", "农村中小学生", "村集体"],
             ["入户开展垃圾分类宣传和督导", "运营积分兑换超市，引导村民分类投放",
              "开展厨余垃圾就地堆肥试点", "组织学生开展小手拉大手活动"]),
            ("农村改厕", ["后续管护服务", "粪污资源化利用"],
             ["农户", "村集体", "管护服务人员"],
             ["建立改厕问题排查和维修服务机制", "开展户厕使用和维护知识宣传",
              "推进粪污就地就近资源化利用", "培训管护服务人员"]),
            ("河湖保护", ["巡河护河志愿服务", "水生态修复", "水源地保护宣传"],
             ["沿河村庄村民", "护河志愿者", "中小学生"],
             ["组建民间河长和护河志愿服务队", "开展河道垃圾清理和水质监测",
              "开展饮用水水源地保护宣传", "种植水生植物，修复河岸生态"]),
            ("植树造林", ["国土绿化志愿行动", "村庄绿化美化", "荒山修复"],
             ["村集体", "村民群众", "志愿者"],
             ["组织义务植树和认种认养活动", "捐赠苗木，开展村庄绿化美化",
              "推广经济林种植和林下经济", "开展森林防火和林业有害生物防治宣传"]),
            ("绿色种养", ["秸秆综合利用", "化肥农药减量", "畜禽粪污资源化"],
             ["种植户和养殖户", "农民专业合作社", "家庭农场"],
             ["推广秸秆还田和秸秆饲料化利用技术", "开展测土配方施肥和绿色防控培训",
              "指导养殖场户建设粪污处理设施", "建立绿色种养示范基地"]),
            ("美丽庭院", ["创建指导", "示范户培育"],
             ["农村家庭", "农村妇女", "村集体"],
             ["制定美丽庭院创建标准，入户指导", "评选美丽庭院示范户并给予奖励",
              "开展庭院绿化和小菜园设计指导", "组织妇女志愿者开展巡查督导"]),
        ],
    },
    "governance": {
        "problems": ["村民参与渠道不多、议事协商不规范", "矛盾纠纷化解力量不足",
                     "基层治理专业化水平不高", "村务管理信息化程度低"],
        "forms": ["结对共建", "志愿服务", "人才支持", "技术服务"],
        "name_themes": ["乡村治理", "法律服务", "社区发展", "志愿服务", "乡村振兴"],
        "themes": [
            ("村规民约", ["修订指导", "积分制管理推广", "红白理事会建设"],
             ["村两委成员", "村民代表", "红白理事会成员"],
             ["协助村庄修订完善村规民约", "推广积分制管理，建立积分评定规则",
              "指导红白理事会规范运行", "开展村规民约宣传和典型选树"]),
            ("法律服务", ["法律明白人培养", "公益法律咨询", "普法宣传进村"],
             ["村民群众", "法律明白人", "村两委成员"],
             ["组织律师开展驻村法律咨询", "培养村级法律明白人和普法骨干",
              "开展土地承包、婚姻家庭等法律知识宣讲", "为困难群众提供法律援助转介服务"]),
            ("矛盾纠纷调解", ["人民调解能力建设", "调解志愿服务"],
             ["人民调解员", "村民群众", "乡贤志愿者"],
             ["培训人民调解员，提升调解技巧", "组建乡贤调解志愿服务队",
              "建立矛盾纠纷排查化解台账", "开展典型案例分析和以案释法"]),
            ("网格化管理", ["网格员能力培训", "数字乡村治理平台应用"],
             ["农村网格员", "村务工作人员", "村民群众"],
             ["开展网格员业务能力培训", "协助村庄使用数字乡村治理平台",
              "建立网格走访和问题上报机制", "开展防返贫风险网格排查"]),
            ("村民议事协商", ["机制建设", "村民议事会运行支持"],
             ["村民代表", "村两委成员", "村民群众"],
             ["指导建立村民议事会和议事规则", "组织开展议事协商示范活动",
              "培训议事协商主持人", "推动村务公开和民主监督"]),
            ("平安乡村", ["防诈骗宣传", "应急救护培训", "防灾减灾演练"],
             ["农村老年人", "村民群众", "乡村应急队伍"],
             ["开展防范电信网络诈骗入户宣传", "组织应急救护和消防安全培训",
              "开展防汛、防火应急演练", "配备基本应急救援物资"]),
            ("乡镇社工站", ["运营支持", "社会工作服务"],
             ["乡镇社工站", "社会工作者", "困难群众"],
             ["派驻专业社工，协助乡镇社工站规范运营", "开展社会工作督导和案例研讨",
              "建立困难群众需求评估和转介机制", "培育本土社区社会组织"]),
        ],
    },
    "care": {
        "problems": ["专业服务人员短缺、护理能力不足", "服务设施运营困难、可持续性不强",
                     "关爱服务覆盖面不足、精准度不高", "留守人员多、家庭照料能力弱"],
        "forms": ["志愿服务", "慈善捐助", "人才支持", "结对共建"],
        "name_themes": ["养老服务", "儿童关爱", "助残服务", "妇女发展", "乐龄", "社会工作"],
        "themes": [
            ("农村互助养老", ["服务站运营支持", "护理员培训", "幸福院提升改造"],
             ["农村留守老人和独居老人", "互助养老服务站", "农村老年人"],
             ["为互助养老服务站培训护理员", "开展助餐、助洁、助浴等上门服务",
              "建立老年人健康档案，定期巡访", "组织文体娱乐和健康讲座活动",
              "招募低龄老人参与互助服务"]),
            ("农村助餐", ["长者食堂运营", "助餐服务支持"],
             ["农村高龄老人", "失能半失能老人", "独居老人"],
             ["协助村庄建设运营长者食堂", "为行动不便老人提供送餐上门服务",
              "制定营养均衡的老年餐食谱", "动员爱心企业捐赠食材和餐具"]),
            ("留守儿童", ["关爱服务", "课后托管与心理辅导", "儿童之家建设"],
             ["农村留守儿童", "困境儿童", "儿童主任"],
             ["开展课后托管和学业辅导", "为留守儿童提供心理疏导和情感陪伴",
              "培训村级儿童主任，建立关爱台账", "组织亲情视频连线和暑期夏令营"]),
            ("困境儿童", ["个案帮扶", "助学帮扶"],
             ["困境儿童", "事实无人抚养儿童", "低收入家庭学生"],
             ["开展困境儿童家庭走访和需求评估", "为困难学生提供助学金和学习用品",
              "链接医疗康复资源，开展个案帮扶", "招募大学生志愿者一对一结对陪伴"]),
            ("残疾人关爱", ["康复服务", "就业帮扶", "辅具适配"],
             ["农村残疾人", "残疾儿童家庭", "重度残疾人"],
             ["开展社区康复训练和上门康复指导", "为残疾人适配轮椅、助行器等辅具",
              "开展残疾人手工技能培训和辅助性就业", "为照护者提供喘息服务"]),
            ("留守妇女", ["增收技能培训", "巾帼创业支持"],
             ["农村留守妇女", "脱贫家庭妇女", "返乡创业女性"],
             ["开展手工编织、电商客服等技能培训", "支持建设巾帼居家创业示范点",
              "开展妇女健康知识讲座和两癌筛查宣传", "组织妇女互助小组"]),
            ("防返贫监测", ["监测帮扶", "低收入人口关爱服务", "医疗救助帮扶"],
             ["防返贫监测对象", "低收入人口", "大病患者家庭"],
             ["入户开展风险排查和需求评估", "链接慈善资源开展临时救助",
              "为大病患者家庭提供医疗救助转介", "开展就业帮扶和技能培训，稳定增收"]),
            ("心理健康", ["心理疏导服务", "独居老人探访"],
             ["独居和空巢老人", "农村青少年", "困难群众"],
             ["开展心理健康评估和心理疏导", "组织志愿者定期探访独居老人",
              "开展心理健康知识讲座", "建立心理危机转介机制"]),
        ],
    },
}
FIELD_CATEGORY = {
    "社会团体": {"industry": ["行业协会商会", "行业协会商会", "科技类"],
                 "talent": ["科技类", "社会科学类", "行业协会商会"],
                 "culture": ["文化体育类"],
                 "ecology": ["科技类", "公益慈善"],
                 "governance": ["社会科学类", "社区社会组织"],
                 "care": ["公益慈善", "社区社会组织"]},
    "社会服务机构": {"industry": ["科技类", "其他"],
                     "talent": ["科技类", "社会工作"],
                     "culture": ["文化体育类"],
                     "ecology": ["公益慈善", "科技类"],
                     "governance": ["社会工作", "社会工作", "社区社会组织"],
                     "care": ["社会工作", "社会工作", "社区社会组织", "公益慈善"]},
}
NAME_SUFFIX = {
    ("社会团体", "行业协会商会"): ["协会", "商会", "联合会"],
    ("社会团体", "科技类"): ["学会", "技术协会", "科技协会"],
    ("社会团体", "社会科学类"): ["研究会", "学会"],
    ("社会团体", "文化体育类"): ["文化协会", "艺术协会", "体育协会"],
    ("社会团体", "公益慈善"): ["慈善协会", "志愿者协会", "公益协会"],
    ("社会团体", "社区社会组织"): ["志愿服务协会", "互助会", "乡贤促进会"],
    ("社会团体", "其他"): ["促进会", "联合会"],
    ("社会服务机构", "社会工作"): ["社会工作服务中心", "社工服务中心", "社会工作服务社"],
    ("社会服务机构", "社区社会组织"): ["社区服务中心", "邻里服务中心"],
    ("社会服务机构", "文化体育类"): ["文化传播中心", "文化发展中心"],
    ("社会服务机构", "科技类"): ["技术服务中心", "科技服务中心", "职业培训学校"],
    ("社会服务机构", "公益慈善"): ["公益服务中心", "公益发展中心"],
    ("社会服务机构", "其他"): ["发展中心", "服务中心"],
    ("基金会", None): ["基金会", "公益基金会", "慈善基金会"],
}
BRANDS = ["阳光", "春晖", "同心", "益家", "善源", "齐鲁", "泰山", "沂蒙", "黄河", "孔孟",
          "和美", "乐邻", "向日葵", "蒲公英", "绿洲", "新农", "众创", "惠民", "仁和", "德馨",
          "明德", "爱心", "彩虹", "晨光", "启航", "蓝天", "青禾", "稻香", "麦田", "红枫",
          "乐龄", "康宁", "乐善", "筑梦", "微光", "长青", "暖阳", "心桥", "耕读", "瑞丰",
          "沃土", "丰年", "知行", "致远", "博爱", "友邻", "恒善", "聚力", "润心", "携手",
          "益路", "守望", "春雨", "清源", "山海", "海岱", "鲁风", "齐心", "众益", "华夏"]
TOWN_PREFIX = ["王庄", "李集", "张店", "刘楼", "陈屯", "杨营", "赵寨", "黄河", "周桥", "吴家",
               "徐集", "孙口", "马庄", "朱楼", "胡集", "郭屯", "何营", "高庄", "林家", "郑店",
               "青山", "石门", "柳林", "双河", "白马", "龙泉", "南湖", "北关", "东城", "西岭",
               "大李", "小宋", "古城", "新兴", "桃园", "杏花", "梨园", "枣林", "槐树", "柏林",
               "凤凰", "金沙", "玉泉", "仁里", "崔家", "官庄", "孟家", "韩集", "尚庄", "侯营"]
VILLAGE_PREFIX = ["东王", "西李", "南张", "北刘", "前陈", "后杨", "大赵", "小黄", "中周", "上吴",
                  "下徐", "孙家", "马家", "朱家", "胡家", "郭家", "何家", "高家", "林家", "郑家",
                  "石桥", "柳河", "杏园", "枣园", "梨行", "双庙", "三里", "五里", "七里", "九龙"]
AREA_CODE = {"370100": "0531", "370200": "0532", "370300": "0533", "370400": "0632",
             "370500": "0546", "370600": "0535", "370700": "0536", "370800": "0537",
             "370900": "0538", "371000": "0631", "371100": "0633", "371300": "0539",
             "371400": "0534", "371500": "0635", "371600": "0543", "371700": "0530"}
PARTNER_AREA_CODE = {"重庆市": "023", "甘肃省": "0931", "西藏自治区": "0891",
                     "新疆维吾尔自治区": "0991", "青海省": "0971"}
KIND_FEATURE = {
    "县": ["是传统农业大县，农村人口占比较高", "农业资源丰富，特色种养产业基础较好",
          "地处平原腹地，粮食和蔬菜生产优势明显"],
    "县级市": ["农业特色鲜明，县域经济发展较快", "城乡融合发展基础较好，涉农镇街较多"],
    "区": ["城乡接合部面积较大，涉农街道和镇较多", "辖区内仍有较多行政村，农业农村工作任务较重"],
    "partner": ["是山东省东西部协作结对帮扶地区", "是山东省协作帮扶的重点地区"],
}
HONORS = ["全省社会组织参与乡村振兴先进集体", "全省优秀社会组织", "全省脱贫攻坚先进集体",
          "山东慈善奖", "全省巾帼建功先进集体", "全省优秀志愿服务组织", "全市社会组织公益品牌",
          "全省新时代文明实践优秀志愿服务项目", "全省社会工作优秀案例"]
PROVINCE_ISSUERS = ["山东省民政厅", "山东省乡村振兴局", "山东省发展和改革委员会", "山东省农业农村厅"]
NATIONAL_ISSUERS = ["民政部", "国家乡村振兴局", "国家发展改革委", "农业农村部"]
LOCAL_ISSUER_SUFFIX = ["民政局", "农业农村局", "发展和改革委员会", "乡村振兴局"]

DEMAND_STATUS_LABEL = {"open": "征集中", "matched": "已对接", "in_progress": "实施中",
                       "completed": "已完成", "closed": "已关闭"}
SUPPLY_STATUS_LABEL = {"open": "征集中", "full": "已满额", "closed": "已关闭"}

# --------------------------------------------------------------------------
# YAML emitting (hand-written so the files look like an editor's, e.g. flow
# lists and quoted region codes, and so generation is fast)
# --------------------------------------------------------------------------
_RESOLVER = yaml.resolver.Resolver()
_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_FLOW_CHARS = set(",[]{}")


@lru_cache(maxsize=None)
def _scalar(value: str, flow: bool = False) -> str:
    """A YAML scalar for a string: plain when that round-trips as the same string."""
    plain = (
        value != ""
        and value[0] not in _PLAIN_BAD_START
        and value == value.strip()
        and ": " not in value and " #" not in value and not value.endswith(":")
        and "\n" not in value and "\t" not in value
        and not (flow and any(c in _FLOW_CHARS for c in value))
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"
    )
    if plain:
        return value
    out = ['"']
    for ch in value:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _code(value: str) -> str:
    return '"%s"' % value


def _flow_list(items, codes: bool = False) -> str:
    if codes:
        return "[" + ", ".join(_code(x) for x in items) + "]"
    return "[" + ", ".join(_scalar(x, True) for x in items) + "]"


def _block(text: str, indent: str) -> str:
    lines = text.rstrip("\n").split("\n")
    return "|\n" + "\n".join((indent + ln) if ln else "" for ln in lines)


def _emit_org(o: dict) -> str:
    L = [
        "- id: " + _scalar(o["id"]),
        "  name: " + _scalar(o["name"]),
        "  type: " + o["type"],
        "  category: " + _scalar(o["category"]),
        "  level: " + o["level"],
        "  county: " + _code(o["county"]),
        "  fields: " + _flow_list(o["fields"]),
        "  forms: " + _flow_list(o["forms"]),
        "  service_regions: " + _flow_list(o["service_regions"], codes=True),
        "  services: " + _scalar(o["services"]),
    ]
    if "rating" in o:
        L.append("  rating: " + o["rating"])
    if "honors" in o:
        L.append("  honors:")
        for h in o["honors"]:
            L.append("    - {year: %d, title: %s}" % (h["year"], _scalar(h["title"], True)))
    if "phone" in o:
        L.append("  phone: " + _scalar(o["phone"]))
    if "website" in o:
        L.append("  website: " + _scalar(o["website"]))
    return "\n".join(L) + "\n"


def _emit_project(p: dict) -> str:
    L = ["- id: " + p["id"], "  kind: " + p["kind"]]
    if p["kind"] == "demand":
        L.append("  title: " + _scalar(p["title"]))
        L.append("  county: " + _code(p["county"]))
        L.append("  field: " + _scalar(p["field"]))
    else:
        L.append("  org: " + _scalar(p["org"]))
        L.append("  title: " + _scalar(p["title"]))
        L.append("  fields: " + _flow_list(p["fields"]))
        L.append("  service_regions: " + _flow_list(p["service_regions"], codes=True))
    L.append("  forms: " + _flow_list(p["forms"]))
    L.append("  summary: " + _scalar(p["summary"]))
    L.append("  description: " + _block(p["description"], "    "))
    L.append("  published: " + p["published"].isoformat())
    if "deadline" in p:
        L.append("  deadline: " + p["deadline"].isoformat())
    L.append("  status: " + _scalar(p["status"]))
    if "matched_orgs" in p:
        L.append("  matched_orgs: " + _flow_list(p["matched_orgs"]))
    for key in ("beneficiaries", "budget", "period", "capacity"):
        if key in p:
            v = p[key]
            L.append("  %s: %s" % (key, v if isinstance(v, int) else _scalar(v)))
    if "contact" in p:
        c = p["contact"]
        parts = ["unit: " + _scalar(c["unit"], True)]
        if "phone" in c:
            parts.append("phone: " + _scalar(c["phone"], True))
        L.append("  contact: {" + ", ".join(parts) + "}")
    return "\n".join(L) + "\n"


def _emit_policy(p: dict) -> str:
    L = ["---",
         "title: " + _scalar(p["title"]),
         "doc_number: " + _scalar(p["doc_number"]),
         "issuer: " + _flow_list(p["issuer"]),
         "written: " + p["written"].isoformat(),
         "published: " + p["published"].isoformat(),
         "level: " + p["level"],
         "status: " + p["status"],
         "fields: " + _flow_list(p["fields"]),
         "source: " + _scalar(p["source"])]
    if "index_number" in p:
        L.append("index_number: " + _scalar(p["index_number"]))
    if "attachments" in p:
        L.append("attachments:")
        for a in p["attachments"]:
            L.append("  - title: " + _scalar(a["title"]))
            L.append("    url: " + _scalar(a["url"]))
    L.append("---")
    L.append("")
    return "\n".join(L) + "\n" + p["body"].rstrip("\n") + "\n"


# --------------------------------------------------------------------------
# Regions and vocabulary
# --------------------------------------------------------------------------
class Regions:
    def __init__(self, data: dict):
        self.province = str(data["province"]["code"])
        self.province_name = data["province"]["name"]
        self.cities = []            # [(code, name, [county codes])]
        self.county = {}            # code -> info dict
        name_count: dict = {}
        for city in data["cities"]:
            for c in city["counties"]:
                name_count[c["name"]] = name_count.get(c["name"], 0) + 1
        for city in data["cities"]:
            ccode, cname = str(city["code"]), city["name"]
            codes = []
            for c in city["counties"]:
                code = str(c["code"])
                label = c["name"] if name_count[c["name"]] == 1 else cname + c["name"]
                full = c["name"] if c["kind"] != "区" else cname + c["name"]
                self.county[code] = {
                    "code": code, "name": c["name"], "kind": c["kind"],
                    "key": bool(c.get("key")), "city": ccode, "city_name": cname,
                    "label": label, "full": full, "partner": False,
                    "area": AREA_CODE.get(ccode, "0531"),
                }
                codes.append(code)
            self.cities.append((ccode, cname, codes))
        self.city_name = {c: n for c, n, _ in self.cities}
        self.city_counties = {c: cs for c, _, cs in self.cities}
        self.counties = sorted(self.county)
        self.partners = []
        for p in data.get("partners") or []:
            code = str(p["code"])
            self.partners.append(code)
            self.county[code] = {
                "code": code, "name": p["name"], "kind": p.get("kind", "县"),
                "key": False, "city": None, "city_name": p.get("province", ""),
                "label": p["name"], "full": p["name"], "partner": True,
                "relation": p.get("relation", "东西部协作"),
                "paired_with": str(p["paired_with"]) if p.get("paired_with") else None,
                "area": PARTNER_AREA_CODE.get(p.get("province", ""), "023"),
            }
        self.partners.sort()

    def expand(self, code: str) -> list:
        """County codes covered by a service region code."""
        if code == self.province:
            return self.counties
        if code in self.city_counties:
            return self.city_counties[code]
        return [code]

    def region_name(self, code: str) -> str:
        if code == self.province:
            return self.province_name
        if code in self.city_name:
            return self.city_name[code]
        return self.county[code]["label"]


def _load_vocabulary(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    fields = []
    for f in data.get("fields") or DEFAULT_FIELDS:
        if isinstance(f, dict):
            fields.append({"slug": str(f.get("slug") or f.get("name")), "name": str(f.get("name") or f.get("slug"))})
        else:
            fields.append({"slug": str(f), "name": str(f)})
    forms = [str(x) for x in (data.get("forms") or DEFAULT_FORMS)]
    cats = [str(x) for x in (data.get("categories") or DEFAULT_CATEGORIES)]
    return fields, forms, cats


def _default_vocabulary_text() -> str:
    L = ["# 领域、帮扶方式、社会组织类别（压力测试数据）", "fields:"]
    for f in DEFAULT_FIELDS:
        L.append("  - {slug: %s, name: %s}" % (f["slug"], f["name"]))
    L.append("forms: [" + ", ".join(DEFAULT_FORMS) + "]")
    L.append("categories: [" + ", ".join(DEFAULT_CATEGORIES) + "]")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------
def _rand_date(rng: random.Random, lo: dt.date = DATE_MIN, hi: dt.date = DATE_MAX) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _recent_date(rng: random.Random) -> dt.date:
    """A publication date, more of them recent (the column grows over time)."""
    return DATE_MIN + dt.timedelta(days=int(rng.triangular(0, DAYS_SPAN + 0.999, DAYS_SPAN + 0.999)))


def _sample(rng: random.Random, items: list, lo: int, hi: int) -> list:
    k = min(len(items), rng.randint(lo, hi))
    return rng.sample(items, k)


def _dedupe(items: list) -> list:
    seen: dict = {}
    for x in items:
        seen.setdefault(x, None)
    return list(seen)


class _Gen:
    def __init__(self, seed: int, scale: float, regions: Regions, fields, forms, cats):
        self.rng = random.Random(seed)
        self.scale = scale
        self.R = regions
        self.fields = fields                  # [{"slug", "name"}]
        self.forms = forms
        self.cats = cats
        self.check_char = _pick_uscc_check_char()
        known = {f["name"]: f["slug"] for f in DEFAULT_FIELDS}
        bank_keys = list(BANKS)
        self.bank = {}                        # field slug -> bank
        for i, f in enumerate(fields):
            key = f["slug"] if f["slug"] in BANKS else known.get(f["name"], bank_keys[i % len(bank_keys)])
            self.bank[f["slug"]] = BANKS[key]
        self.field_by_slug = {f["slug"]: f for f in fields}
        rng = self.rng
        # Towns and villages per county (deterministic, sorted iteration).
        self.towns = {}
        for code in self.R.counties + self.R.partners:
            prefixes = rng.sample(TOWN_PREFIX, rng.randint(8, 14))
            self.towns[code] = [p + rng.choice(["镇", "镇", "镇", "街道", "乡"]) for p in prefixes]

    # ---- helpers ----------------------------------------------------------
    def n(self, key: str) -> int:
        return max(1, round(BASE_COUNTS[key] * self.scale))

    def field_name(self, slug: str) -> str:
        return self.field_by_slug[slug]["name"]

    def forms_for(self, slug: str, lo: int, hi: int) -> list:
        rng = self.rng
        preferred = [f for f in self.bank[slug]["forms"] if f in self.forms]
        k = rng.randint(lo, hi)
        out = []
        pool = preferred + self.forms
        while len(out) < k and len(out) < len(self.forms):
            f = rng.choice(preferred) if (preferred and rng.random() < 0.7) else rng.choice(pool)
            if f not in out:
                out.append(f)
        return out

    def make_uscc(self, type_: str, reg_code: str, used: dict) -> str:
        rng = self.rng
        type_digit = {"社会团体": "1", "社会服务机构": "2", "基金会": "3"}[type_]
        letters = "ABCDEFGHJKLMNPQRTUWXY"
        while True:
            body = "MJ" + rng.choice(letters) + "%05d" % rng.randint(0, 99999) + rng.choice(USCC_CHARSET)
            first17 = "5" + type_digit + reg_code + body
            uscc = first17 + self.check_char(first17)
            if uscc not in used:
                used[uscc] = None
                return uscc

    def theme(self, slug: str):
        return self.rng.choice(self.bank[slug]["themes"])

    # ---- organizations ----------------------------------------------------
    def organizations(self) -> list:
        rng, R = self.rng, self.R
        jinan_core = [c for c in ("370102", "370103", "370104", "370105", "370112") if c in R.county] \
            or R.counties[:1]
        weights = [rng.uniform(0.6, 1.4) * (1.2 if R.county[c]["kind"] == "区" else 1.0)
                   for c in R.counties]
        cum = []
        t = 0.0
        for w in weights:
            t += w
            cum.append(t)
        city_weights = [len(cs) for _, _, cs in R.cities]
        used_ids: dict = {}
        used_names: dict = {}
        slugs = [f["slug"] for f in self.fields]
        orgs = []
        for _ in range(self.n("organizations")):
            level = rng.choices(["省管", "市级", "县级"], [5, 25, 70])[0]
            tw = {"省管": [45, 40, 15], "市级": [45, 47, 8], "县级": [50, 48, 2]}[level]
            type_ = rng.choices(["社会团体", "社会服务机构", "基金会"], tw)[0]
            if level == "省管":
                county = rng.choice(jinan_core)
                reg = R.province
                prefix = R.province_name
            elif level == "市级":
                ccode, cname, ccs = rng.choices(R.cities, city_weights)[0]
                districts = [c for c in ccs if R.county[c]["kind"] == "区"] or ccs
                county = rng.choice(districts)
                reg = ccode
                prefix = cname
            else:
                county = rng.choices(R.counties, cum_weights=cum)[0]
                reg = county
                prefix = R.county[county]["full"]
            info = R.county[county]
            fields = _sample(rng, slugs, 1, 3)
            primary = fields[0]
            if type_ == "基金会":
                category = "公益慈善"
            else:
                category = rng.choice(FIELD_CATEGORY[type_].get(primary, ["其他"]))
            if category not in self.cats:
                category = rng.choice(self.cats)
            # Name
            if type_ == "基金会":
                suffixes = NAME_SUFFIX[("基金会", None)]
            else:
                suffixes = NAME_SUFFIX.get((type_, category)) or NAME_SUFFIX[(type_, "其他")]
            name = None
            for attempt in range(12):
                brand = rng.choice(BRANDS) if (attempt > 2 or rng.random() < 0.6) else ""
                theme = rng.choice(self.bank[primary]["name_themes"]) if (not brand or rng.random() < 0.6) else ""
                cand = prefix + brand + theme + rng.choice(suffixes)
                if cand not in used_names:
                    name = cand
                    break
            if name is None:
                name = cand
            used_names[name] = None
            # Service regions
            if level == "省管":
                regions = [R.province]
                for p in R.partners:
                    if rng.random() < 0.3:
                        regions.append(p)
            elif level == "市级":
                regions = [info["city"]]
                if rng.random() < 0.3:
                    others = [c for c in R.counties if R.county[c]["city"] != info["city"]]
                    keys = [c for c in others if R.county[c]["key"]] or others
                    regions += _sample(rng, keys, 1, 2)
                for p in R.partners:
                    if R.county[p]["paired_with"] in (info["city"], county) and rng.random() < 0.5:
                        regions.append(p)
            else:
                r = rng.random()
                if r < 0.1:
                    regions = [info["city"]]
                else:
                    regions = [county]
                    if r < 0.5:
                        same = [c for c in R.city_counties[info["city"]] if c != county]
                        regions += _sample(rng, same, 1, 2)
                for p in R.partners:
                    if R.county[p]["paired_with"] in (info["city"], county) and rng.random() < 0.2:
                        regions.append(p)
            regions = _dedupe(regions)
            # Services text
            terms = []
            for slug in fields:
                th = self.theme(slug)
                terms.append(th[0] + rng.choice(th[1]))
            forms = self.forms_for(primary, 2, 4)
            services = "、".join(_dedupe(terms))
            pattern = rng.random()
            if pattern < 0.45:
                services = "围绕乡村振兴开展" + services + "等服务"
            elif pattern < 0.75:
                services = services + "，可提供" + "、".join(forms[:2]) + "，助力乡村振兴"
            else:
                services = "擅长" + services + "，长期服务" + R.region_name(regions[0]) + "农村地区"
            org = {
                "id": self.make_uscc(type_, reg, used_ids),
                "name": name, "type": type_, "category": category, "level": level,
                "county": county,
                "fields": [self.field_name(s) for s in fields],
                "forms": forms, "service_regions": regions, "services": services,
                "_slugs": fields, "_brand": name[len(prefix):][:2] or "齐鲁",
            }
            if rng.random() < 0.35:
                org["rating"] = rng.choices(["1A", "2A", "3A", "4A", "5A"], [5, 15, 35, 30, 15])[0]
            if rng.random() < 0.1:
                years = sorted(rng.sample(range(2019, 2026), rng.randint(1, 2)))
                org["honors"] = [{"year": y, "title": rng.choice(HONORS)} for y in years]
            if rng.random() < 0.6:
                org["phone"] = info["area"] + "-00000000"
            if rng.random() < 0.15:
                org["website"] = "https://www.example.org/org/" + org["id"].lower()
            orgs.append(org)
        return orgs

    def coverage(self, orgs: list) -> dict:
        """county -> field slug -> [org index]; county -> '*' -> [org index]."""
        cov: dict = {c: {"*": []} for c in self.R.counties + self.R.partners}
        for i, o in enumerate(orgs):
            seen: dict = {}
            for r in o["service_regions"]:
                for c in self.R.expand(r):
                    if c in seen or c not in cov:
                        continue
                    seen[c] = None
                    cov[c]["*"].append(i)
                    for s in o["_slugs"]:
                        cov[c].setdefault(s, []).append(i)
        return cov

    # ---- text ---------------------------------------------------------------
    def _acts(self, slug: str, th, k: int) -> list:
        rng = self.rng
        acts = list(th[3])
        rng.shuffle(acts)
        acts = acts[:k]
        if len(acts) < k:
            other = self.theme(slug)[3]
            acts += [a for a in other if a not in acts][: k - len(acts)]
        return acts

    def _fit_title(self, templates: list, values: dict, pads: list) -> str:
        """Pick a title of 15-30 characters; pad short ones with context."""
        rng = self.rng
        title = ""
        for _ in range(8):
            title = rng.choice(templates).format(**values)
            if 15 <= len(title) <= 30:
                return title
        for pad in pads:
            if len(title) >= 15:
                break
            title = pad.format(**values) + title if pad.endswith("}") else title + pad
        return title

    def _fit_summary(self, templates: list, values: dict, extras: list) -> str:
        """Pick a summary of about 40-80 characters."""
        rng = self.rng
        summary = rng.choice(templates).format(**values)
        if len(summary) > 80:
            summary = templates[0].format(**values)
        for extra in extras:
            if len(summary) >= 40:
                break
            summary = summary[:-1] + extra.format(**values)
        return summary

    def demand_text(self, county: str, slug: str, forms: list, unit: str, year: int):
        rng = self.rng
        info = self.R.county[county]
        bank = self.bank[slug]
        th = self.theme(slug)
        topic, tail, who = th[0], rng.choice(th[1]), rng.choice(th[2])
        town = rng.choice(self.towns[county])
        v = {"place": info["label"], "topic": topic, "tail": tail, "town": town, "who": who,
             "village": rng.choice(VILLAGE_PREFIX) + "村", "year": year, "unit": unit,
             "n": rng.randint(3, 40), "m": rng.randint(2, 80) * 50, "k": rng.randint(2, 8),
             "parent": info["city_name"], "forms": "、".join(forms),
             "problem": rng.choice(bank["problems"]),
             "unit_kind": "市" if info["kind"] == "县级市" else info["kind"][-1],
             "feature": rng.choice(KIND_FEATURE["partner" if info["partner"] else info["kind"]])}
        title = self._fit_title(
            ["{place}{topic}{tail}", "{place}{town}{topic}{tail}", "{place}{topic}{tail}项目",
             "{year}年{place}{topic}{tail}", "{place}{town}{village}{topic}{tail}",
             "助力乡村振兴：{place}{topic}{tail}", "{place}{town}{topic}{tail}项目"],
            v, ["{town}", "项目", "{year}年"])
        acts = self._acts(slug, th, rng.randint(3, 5))
        v["act"] = acts[0]
        summary = self._fit_summary([
            "面向{who}，{act}，计划覆盖{n}个村，助力{place}乡村振兴。",
            "{place}拟引入社会组织{act}，重点服务{who}，推动{topic}工作提质增效，助力乡村振兴。",
            "围绕乡村振兴重点任务，在{town}{act}，惠及{who}约{m}人。",
            "{act}，解决{who}在{topic}方面的实际困难，计划覆盖{n}个村，助力乡村振兴。",
        ], v, ["，计划覆盖{n}个村。", "，助力{place}乡村振兴。"])
        p1 = [
            "{place}隶属{parent}，{feature}。",
            "近年来，{place}{town}围绕乡村振兴战略部署，持续推进{topic}工作，取得了一定成效，"
            "但仍存在{problem}等问题。",
            "目前全{unit_kind}共有{n}个村提出相关需求，{who}对{topic}{tail}的需求较为迫切。",
        ]
        if info["partner"]:
            p1.append("本项目为{rel}帮扶需求，由结对地区共同推进。".replace("{rel}", info["relation"]))
        if rng.random() < 0.5:
            p1.append("{unit}经入户走访和村级座谈，梳理形成本需求，现面向社会组织公开征集承接方。")
        details = ["每季度至少开展1次", "覆盖全部项目村", "建立工作台账", "邀请受益群众参与评议",
                   "形成图文资料存档", "注重发挥本土志愿者作用", "优先安排重点帮扶对象"]
        bullets = ["- " + act + ("，" + rng.choice(details) if rng.random() < 0.4 else "") for act in acts]
        outcome = rng.choice([
            "项目实施后，预计覆盖{n}个村、受益{m}人，形成可复制、可推广的{topic}工作经验，为{place}乡村振兴提供有力支撑。",
            "希望通过项目实施，建立{topic}长效机制，提升{who}的获得感、幸福感和安全感，巩固拓展脱贫攻坚成果。",
            "通过社会组织专业力量的参与，补齐{topic}短板，带动{m}名{who}直接受益，推动乡村全面振兴。",
        ])
        req = rng.choice([
            "承接组织应具有{topic}相关服务经验，配备专职人员不少于{k}名，按季度报送项目进展，接受{unit}和受益群众监督。",
            "承接组织须依法登记、年检合格，近两年在{topic}领域有成功案例，项目资金专款专用，定期公开使用情况。",
            "承接组织需制定详细实施方案，明确服务内容、进度安排和成效指标，项目结束后提交总结报告。",
        ])
        parts = ["".join(p1), "", "**需求内容**", ""] + bullets + ["", "**预期成效**", "", outcome,
                                                                 "", "**承接要求**", "", req,
                                                                 "", "项目拟采用{forms}等方式实施，欢迎具备相关经验的社会组织与{unit}联系对接。"]
        desc = "\n".join(parts).format(**v) + "\n"
        return title, summary, desc, who, topic

    def offer_text(self, org: dict, slug: str, forms: list, area: str):
        rng = self.rng
        th = self.theme(slug)
        topic, tail, who = th[0], rng.choice(th[1]), rng.choice(th[2])
        v = {"topic": topic, "tail": tail, "who": who, "brand": org["_brand"], "area": area,
             "org": org["name"], "type": org["type"], "forms": "、".join(forms),
             "s": rng.randint(3, 40), "vol": rng.randint(2, 60) * 10, "k": rng.randint(5, 120),
             "y": rng.randint(2005, 2022), "y2": rng.randint(2023, 2025), "p": rng.randint(2, 100) * 50}
        title = self._fit_title(
            ["{topic}{tail}服务", "{brand}{topic}{tail}公益项目", "“{brand}”{topic}{tail}计划",
             "{area}{topic}{tail}服务项目", "乡村振兴{topic}{tail}行动", "{area}{topic}{tail}公益服务"],
            v, ["{area}", "公益项目"])
        acts = self._acts(slug, th, rng.randint(3, 5))
        v["act"] = acts[0]
        summary = self._fit_summary([
            "为{who}提供{topic}{tail}服务，{act}。",
            "面向{area}{who}，{act}，助力乡村振兴。",
            "{org}发挥专业优势，{act}，可承接{topic}相关需求。",
            "为{who}提供{topic}{tail}服务，已在{k}个村（社区）开展，助力乡村振兴。",
        ], v, ["，可承接{area}{topic}相关需求。", "，助力乡村振兴。"])
        intro = rng.choice([
            "{org}成立于{y}年，长期扎根{area}，专注{topic}领域，现有专职人员{s}名、注册志愿者{vol}余名。",
            "{org}是一家致力于{topic}的{type}，已在{area}{k}个村（社区）开展服务，积累了较为丰富的乡村振兴项目经验。",
        ]) + "我们关注{who}的实际需要，愿以{tail}为切入点参与乡村振兴。"
        case = "".join(rng.sample([
            "{y2}年，我们在{area}实施{topic}{tail}项目，服务{who}{p}人次，获得当地群众和乡镇的好评。",
            "近三年累计开展{topic}相关活动{k}场次，与多个村集体建立了结对共建关系。",
            "项目团队由社会工作者、专业技术人员和志愿者组成，实行项目负责制和过程督导。",
        ], 2))
        guarantee = rng.choice([
            "我们将与需求方签订服务协议，明确服务内容和成效指标，定期向需求方和受益群众反馈进展，"
            "项目资金专款专用，接受登记管理机关和社会监督。",
            "服务前开展需求评估，服务中做好过程记录和督导，服务后开展满意度回访和成效评估，"
            "确保服务质量，形成可持续的帮扶机制。",
            "我们可协调{area}范围内的志愿者和合作单位参与，必要时联合其他社会组织共同承接，"
            "实现一对多、多对一精准对接。",
        ])
        parts = [intro, "", "**服务内容**", ""] + ["- " + a for a in acts] + [
            "", "**服务经验**", "", case, "", "**服务保障**", "", guarantee,
            "", "**服务方式**：{forms}。可根据需求方实际情况调整服务方案，"
            "与各县区乡村振兴部门和村集体对接，按需定制，共同助力乡村振兴。"]
        desc = "\n".join(parts).format(**v) + "\n"
        capacity = "每年可服务{v}个村，开展活动{a}场次，服务{p}人次".format(
            v=rng.randint(3, 50), a=rng.randint(10, 200), p=rng.randint(2, 100) * 100)
        return title, summary, desc, who, capacity

    # ---- projects -----------------------------------------------------------
    def _status_demand(self, published: dt.date) -> str:
        rng = self.rng
        if published >= dt.date(2025, 7, 1):
            w = [65, 15, 12, 2, 6]
        elif published >= dt.date(2024, 7, 1):
            w = [30, 15, 30, 15, 10]
        else:
            w = [12, 8, 20, 45, 15]
        return rng.choices(["open", "matched", "in_progress", "completed", "closed"], w)[0]

    def _deadline(self, published: dt.date, p: float):
        if self.rng.random() >= p:
            return None
        d = published + dt.timedelta(days=self.rng.randint(30, 240))
        if d > DATE_MAX:
            d = DATE_MAX
        return d if d > published else None

    def _period(self, published: dt.date) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(["6个月", "12个月", "一年", "两年", "18个月", "3个月"])
        end = published + dt.timedelta(days=rng.randint(90, 400))
        return "{}年{}月至{}年{}月".format(published.year, published.month, end.year, end.month)

    def demands(self, orgs: list, cov: dict) -> list:
        rng, R = self.rng, self.R
        codes = R.counties + R.partners
        weights = []
        for c in codes:
            info = R.county[c]
            w = {"县": 3.0, "县级市": 2.4, "区": 1.0}.get(info["kind"], 1.5)
            if info["key"]:
                w *= 1.8
            if info["partner"]:
                w = 4.0
            weights.append(w * rng.uniform(0.7, 1.3))
        field_w = [1.3 if f["slug"] in ("industry", "care") else 1.0 for f in self.fields]
        out = []
        for _ in range(self.n("demands")):
            county = rng.choices(codes, weights)[0]
            info = R.county[county]
            f = rng.choices(self.fields, field_w)[0]
            slug = f["slug"]
            published = _recent_date(rng)
            status = self._status_demand(published)
            forms = self.forms_for(slug, 1, 3)
            unit = rng.choice([info["label"] + "农业农村局（乡村振兴局）", info["label"] + "民政局",
                               info["label"] + "乡村振兴局", rng.choice(self.towns[county]) + "人民政府"])
            title, summary, desc, who, topic = self.demand_text(county, slug, forms, unit, published.year)
            d = {"kind": "demand", "county": county,
                 "field": slug if rng.random() < 0.15 else f["name"],
                 "forms": forms, "title": title, "summary": summary, "description": desc,
                 "published": published, "status": status}
            dl = self._deadline(published, 0.75)
            if dl:
                d["deadline"] = dl
            if status in ("matched", "in_progress", "completed"):
                pool = cov[county].get(slug) or cov[county]["*"] or range(len(orgs))
                k = min(len(pool), rng.choices([1, 2, 3], [70, 22, 8])[0])
                idx = rng.sample(list(pool), k) if len(pool) < 64 else _dedupe(
                    [pool[rng.randrange(len(pool))] for _ in range(k)])
                d["matched_orgs"] = [orgs[i]["id"] for i in idx]
            if rng.random() < 0.05:
                d["status"] = DEMAND_STATUS_LABEL[status]
            if rng.random() < 0.8:
                d["beneficiaries"] = who
            if rng.random() < 0.7:
                d["budget"] = rng.choice([rng.randint(2, 99) * 10000, rng.randint(10, 400) * 5000,
                                          rng.randint(1, 20) * 100000])
            if rng.random() < 0.6:
                d["period"] = self._period(published)
            if rng.random() < 0.85:
                c = {"unit": unit}
                if rng.random() < 0.85:
                    c["phone"] = info["area"] + "-00000000"
                d["contact"] = c
            out.append(d)
        # Number in publication order: d-<county>-<year>-<nnnnn>
        out.sort(key=lambda d: (d["published"], d["county"], d["title"]))
        for i, d in enumerate(out, 1):
            d["id"] = "d-%s-%d-%05d" % (d["county"], d["published"].year, i)
        return out

    def offers(self, orgs: list) -> list:
        rng, R = self.rng, self.R
        w = [(2.0 if "rating" in o else 1.0) * (2.0 if o["level"] == "省管" else 1.0) for o in orgs]
        owners = rng.choices(range(len(orgs)), w, k=self.n("offers"))
        out = []
        for oi in owners:
            org = orgs[oi]
            slugs = _sample(rng, org["_slugs"], 1, 2)
            forms = _sample(rng, org["forms"], 1, 3)
            regions = list(org["service_regions"])
            if regions == [R.province] and rng.random() < 0.3:
                regions = _sample(rng, [c for c, _, _ in R.cities], 1, 3)
            elif len(regions) > 1 and rng.random() < 0.3:
                regions = regions[:1]
            area = R.region_name(regions[0]) if len(regions) == 1 else (
                "全省" if regions[0] == R.province else R.region_name(regions[0]) + "等地")
            published = _recent_date(rng)
            title, summary, desc, who, capacity = self.offer_text(org, slugs[0], forms, area)
            if published >= dt.date(2025, 1, 1):
                status = rng.choices(["open", "full", "closed"], [70, 20, 10])[0]
            else:
                status = rng.choices(["open", "full", "closed"], [35, 20, 45])[0]
            s = {"kind": "supply", "org": org["id"], "_county": org["county"],
                 "fields": [self.field_name(x) if rng.random() < 0.85 else x for x in slugs],
                 "service_regions": regions, "forms": forms, "title": title, "summary": summary,
                 "description": desc, "published": published,
                 "status": status if rng.random() >= 0.05 else SUPPLY_STATUS_LABEL[status]}
            dl = self._deadline(published, 0.4)
            if dl:
                s["deadline"] = dl
            if rng.random() < 0.6:
                s["beneficiaries"] = who
            if rng.random() < 0.4:
                s["budget"] = rng.randint(1, 60) * 10000
            if rng.random() < 0.5:
                s["period"] = self._period(published)
            if rng.random() < 0.7:
                s["capacity"] = capacity
            out.append(s)
        out.sort(key=lambda s: (s["published"], s["org"], s["title"]))
        for i, s in enumerate(out, 1):
            s["id"] = "s-%05d" % i
        return out

    # ---- policies -----------------------------------------------------------
    def policies(self) -> list:
        rng, R = self.rng, self.R
        out = []
        slugs = [f["slug"] for f in self.fields]
        for _ in range(self.n("policies")):
            level = rng.choices(["国家", "省", "市", "县"], [10, 35, 35, 20])[0]
            written = _rand_date(rng, DATE_MIN, DATE_MAX - dt.timedelta(days=30))
            published = written + dt.timedelta(days=rng.randint(0, 30))
            year = written.year
            num = rng.randint(1, 120)
            if level == "国家":
                issuer = _sample(rng, NATIONAL_ISSUERS, 1, 2)
                doc = "%s〔%d〕%d号" % (rng.choice(["民发", "民函", "国乡振发"]), year, num)
                where, scope, reg = "全国", "各地", "100000"
            elif level == "省":
                issuer = _sample(rng, PROVINCE_ISSUERS, 1, 3)
                doc = "%s〔%d〕%d号" % (rng.choice(["鲁民", "鲁民发", "鲁民函", "鲁乡振发"]), year, num)
                where, scope, reg = R.province_name, "各市", R.province
            elif level == "市":
                ccode, cname, _ = rng.choice(R.cities)
                issuer = [cname + s for s in _sample(rng, LOCAL_ISSUER_SUFFIX, 1, 2)]
                doc = "%s民发〔%d〕%d号" % (cname[:1] if cname != "济宁市" else "济宁", year, num)
                where, scope, reg = cname, "各县（市、区）", ccode
            else:
                code = rng.choice(R.counties)
                info = R.county[code]
                issuer = [info["full"] + s for s in _sample(rng, LOCAL_ISSUER_SUFFIX, 1, 2)]
                doc = "%s民发〔%d〕%d号" % (info["name"][:1], year, num)
                where, scope, reg = info["full"], "各镇（街道）", code
            fslugs = _sample(rng, slugs, 1, 3)
            th = self.theme(fslugs[0])
            fname = self.field_name(fslugs[0])
            title = rng.choice([
                "关于动员引导社会组织参与乡村振兴工作的通知",
                "关于印发《{y}年社会组织参与乡村振兴工作要点》的通知",
                "关于开展社会组织助力{t}专项行动的实施方案",
                "关于推进{t}工作的指导意见",
                "关于加强{f}领域社会组织培育发展的意见",
                "关于公布{y}年度社会组织参与乡村振兴典型案例的通知",
                "{w}社会组织参与乡村振兴“{t}”行动方案",
                "关于做好{y}年社会组织结对帮扶重点帮扶县工作的通知",
            ]).format(y=year, t=th[0], f=fname, w=where)
            status = rng.choices(["现行有效", "已修订", "已废止"], [80, 12, 8])[0]
            body = self.policy_body(where, scope, fslugs)
            p = {"title": title, "doc_number": doc, "issuer": issuer, "written": written,
                 "published": published, "level": level, "status": status,
                 "fields": [self.field_name(s) for s in fslugs]}
            if rng.random() < 0.7:
                p["index_number"] = "%s/%d-%05d" % (reg, year, rng.randint(1, 9999))
            p["_atts"] = rng.random() < 0.3
            p["body"] = body
            out.append(p)
        out.sort(key=lambda p: (p["published"], p["doc_number"], p["title"]))
        for i, p in enumerate(out, 1):
            p["slug"] = "p-%05d" % i
            p["source"] = "https://policy.example.org/%d/%s.html" % (p["published"].year, p["slug"])
            if p.pop("_atts"):
                p["attachments"] = [
                    {"title": "附件%d：%s" % (k, t),
                     "url": "https://policy.example.org/files/%s-%d.pdf" % (p["slug"], k)}
                    for k, t in enumerate(rng.sample(
                        ["社会组织参与乡村振兴项目申报表", "重点任务分工表", "典型案例推荐表",
                         "需求项目清单", "结对帮扶名单"], rng.randint(1, 2)), 1)]
        return out

    def policy_body(self, where: str, scope: str, slugs: list) -> str:
        rng = self.rng
        nums = ["一", "二", "三", "四", "五", "六"]
        L = ["{scope}民政、乡村振兴部门：".format(scope=scope), "",
             "为深入贯彻党中央、国务院关于全面推进乡村振兴的决策部署，动员引导社会组织在巩固拓展脱贫攻坚成果、"
             "全面推进乡村振兴中发挥积极作用，结合{w}实际，现就有关事项通知如下。".format(w=where), "",
             "## 一、总体要求", "",
             "坚持党建引领、政府引导、社会参与、市场运作，聚焦{f}等重点领域，搭建社会组织参与乡村振兴对接平台，"
             "建立需求项目库和供给项目库，推动供需精准对接，重点向省乡村振兴重点帮扶县和东西部协作地区倾斜。".format(
                 f="、".join(self.field_name(s) for s in slugs)), "", "## 二、重点任务", ""]
        k = 1
        for s in _dedupe(slugs + _sample(rng, list(self.bank), 1, 2)):
            th = self.theme(s)
            acts = "；".join(rng.sample(th[3], min(3, len(th[3]))))
            L.append("%d. **推动社会组织参与%s%s。** 引导相关社会组织面向%s，%s。" % (
                k, th[0], th[1][0], rng.choice(th[2]), acts))
            k += 1
        L += ["", "## 三、工作措施", ""]
        for m in rng.sample([
            "各级民政部门要会同乡村振兴部门，按季度梳理发布需求项目清单，及时更新项目状态。",
            "建立社会组织参与乡村振兴项目对接机制，实行一对一、一对多、多对一精准对接。",
            "将社会组织参与乡村振兴情况纳入社会组织等级评估和年度报告内容。",
            "加强典型宣传，选树一批社会组织参与乡村振兴公益品牌和先进典型。",
            "落实公益性捐赠税前扣除等政策，鼓励社会组织多渠道筹集帮扶资源。",
            "依托专栏线上发布规划、政策和项目信息，推动各市项目库共享推送。",
        ], 4):
            L.append("- " + m)
        L += ["", "## %s、工作要求" % nums[3], "",
              "各地要高度重视，明确责任分工，加强督促指导，确保各项工作落到实处。"
              "工作中遇到的重要情况和问题，请及时报告。", ""]
        return "\n".join(L)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------
def _write_chunked(directory: Path, key: str, records: list, emit, header: str, files: list):
    """Write records to <key>.yaml, splitting into <key>-2.yaml ... near SPLIT_BYTES."""
    chunks = []
    cur = [header]
    size = len(header.encode("utf-8"))
    for r in records:
        text = emit(r)
        b = len(text.encode("utf-8"))
        if size + b > SPLIT_BYTES and len(cur) > 1:
            chunks.append("".join(cur))
            cur, size = [header], len(header.encode("utf-8"))
        cur.append(text)
        size += b
    chunks.append("".join(cur))
    for i, text in enumerate(chunks, 1):
        path = directory / ("%s.yaml" % key if i == 1 else "%s-%d.yaml" % (key, i))
        path.write_bytes(text.encode("utf-8"))
        files.append(path)


def _prepare_out_dir(out_dir: Path, force: bool):
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not force:
            raise FileExistsError("%s is not empty (use --force to wipe it)" % out_dir)
        resolved = out_dir.resolve()
        if resolved == Path("/") or resolved == REPO or (resolved / ".git").exists() \
                or resolved in REPO.parents:
            raise PermissionError("refusing to wipe %s" % resolved)
        for child in sorted(out_dir.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)


def generate(out_dir: Path, seed: int = 1, scale: float = 1.0, force: bool = False) -> dict:
    """Write a provincial-scale content repository into out_dir and return counts.

    out_dir must be empty or absent unless force=True (then it is wiped).
    Returns {"organizations", "demands", "offers", "policies", "records", "files",
    "bytes", "largest_file", "largest_bytes", "seconds"}.
    """
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    if scale <= 0:
        raise ValueError("scale must be positive")
    _prepare_out_dir(out_dir, force)
    files: list = []

    # site.yaml, regions, vocabulary
    src_site = REPO / "site.yaml"
    site_text = src_site.read_bytes() if src_site.exists() else "title: 压力测试站点\n".encode("utf-8")
    (out_dir / "site.yaml").write_bytes(site_text)
    files.append(out_dir / "site.yaml")
    data_dir = out_dir / "data"
    data_dir.mkdir()
    regions_bytes = (REPO / "data" / "regions.yaml").read_bytes()
    (data_dir / "regions.yaml").write_bytes(regions_bytes)
    files.append(data_dir / "regions.yaml")
    src_vocab = REPO / "data" / "vocabulary.yaml"
    vocab_bytes = src_vocab.read_bytes() if src_vocab.exists() else _default_vocabulary_text().encode("utf-8")
    (data_dir / "vocabulary.yaml").write_bytes(vocab_bytes)
    files.append(data_dir / "vocabulary.yaml")

    regions = Regions(yaml.safe_load(regions_bytes.decode("utf-8")))
    fields, forms, cats = _load_vocabulary(data_dir / "vocabulary.yaml")
    g = _Gen(seed, scale, regions, fields, forms, cats)

    orgs = g.organizations()
    cov = g.coverage(orgs)
    demands = g.demands(orgs, cov)
    offers = g.offers(orgs)
    policies = g.policies()

    # Organizations per county
    org_dir = data_dir / "organizations"
    org_dir.mkdir()
    by_county: dict = {}
    for o in orgs:
        by_county.setdefault(o["county"], []).append(o)
    for county in sorted(by_county):
        recs = sorted(by_county[county], key=lambda o: o["id"])
        header = "# %s 社会组织（压力测试数据，自动生成）\n" % regions.county[county]["full"]
        _write_chunked(org_dir, county, recs, _emit_org, header, files)

    # Projects per county: demands by their county, offers by their org's county
    proj_dir = data_dir / "projects"
    proj_dir.mkdir()
    by_county = {}
    for d in demands:
        by_county.setdefault(d["county"], [[], []])[0].append(d)
    for s in offers:
        by_county.setdefault(s["_county"], [[], []])[1].append(s)
    for county in sorted(by_county):
        dem, off = by_county[county]
        recs = sorted(dem, key=lambda d: d["id"]) + sorted(off, key=lambda s: s["id"])
        header = "# %s 需求项目和供给项目（压力测试数据，自动生成）\n" % regions.county[county]["full"]
        _write_chunked(proj_dir, county, recs, _emit_project, header, files)

    # Policies
    pol_dir = out_dir / "content" / "policies"
    pol_dir.mkdir(parents=True)
    for p in policies:
        path = pol_dir / (p["slug"] + ".md")
        path.write_bytes(_emit_policy(p).encode("utf-8"))
        files.append(path)

    sizes = [(f.stat().st_size, str(f.relative_to(out_dir))) for f in files]
    largest = max(sizes)
    result = {
        "organizations": len(orgs), "demands": len(demands), "offers": len(offers),
        "policies": len(policies),
        "records": len(orgs) + len(demands) + len(offers) + len(policies),
        "files": len(files), "bytes": sum(s for s, _ in sizes),
        "largest_file": largest[1], "largest_bytes": largest[0],
        "seconds": round(time.perf_counter() - t0, 3),
    }
    if largest[0] > MAX_FILE_BYTES:
        print("warning: %s is %d bytes, over the checker's 2 MiB limit" % largest[::-1], file=sys.stderr)
    return result


def edit_one_file(out_dir: Path, seed: int = 1) -> Path:
    """Change one record's title in one per-county projects file; return that file.

    The edit is textual (the rest of the file stays byte-identical), like an
    editor's pull request. Calling it again with the same seed toggles the
    same title back.
    """
    proj_dir = Path(out_dir) / "data" / "projects"
    files = sorted(proj_dir.glob("*.yaml"))
    if not files:
        raise FileNotFoundError("no project files under %s" % proj_dir)
    rng = random.Random(seed)
    path = rng.choice(files)
    lines = path.read_bytes().decode("utf-8").split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.startswith("  title: ")]
    if not idx:
        raise ValueError("no title in %s" % path)
    i = rng.choice(idx)
    old = yaml.safe_load(lines[i][len("  title: "):])
    old = str(old)
    new = old[: -len(EDIT_MARK)] if old.endswith(EDIT_MARK) else old + EDIT_MARK
    lines[i] = "  title: " + _scalar(new)
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path


def _human(n: int) -> str:
    return "%.2f MiB" % (n / 1024 / 1024) if n >= 1024 * 1024 else "%.1f KiB" % (n / 1024)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate a provincial-scale content repository.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--force", action="store_true", help="wipe OUT_DIR first if it is not empty")
    args = ap.parse_args(argv)
    try:
        r = generate(args.out_dir, seed=args.seed, scale=args.scale, force=args.force)
    except (FileExistsError, PermissionError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    print("organizations %d, demands %d, offers %d, policies %d (records %d)" % (
        r["organizations"], r["demands"], r["offers"], r["policies"], r["records"]))
    print("files %d, total %s (%d bytes), generated in %.2f s" % (
        r["files"], _human(r["bytes"]), r["bytes"], r["seconds"]))
    print("largest file: %s, %s (%d bytes; limit 2 MiB)" % (
        r["largest_file"], _human(r["largest_bytes"]), r["largest_bytes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
