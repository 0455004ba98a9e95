"""Demo content: laws (real public text of 行政处罚法 and 城市市容和环境卫生管理条例; a fictional 滨江市 local
regulation written for the demo), an amendment, law courses with lessons, 40+ cases, one compilation.
Idempotent: pages are found by slug, laws by title, versions by date."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from content import services
from content.models import (
    Article,
    CaseLegalBasis,
    CasePage,
    CompilationItem,
    CompilationPage,
    CoursePage,
    CreditCategory,
    LessonPage,
    ViolationCategory,
)
from org.models import RoleCategory, User

D = dt.date

LAWS = [
    {
        "title": "中华人民共和国行政处罚法",
        "short_title": "行政处罚法",
        "level": "law",
        "issuing_body": "全国人民代表大会常务委员会",
        "doc_number": "主席令第七十号(2021年1月22日修订)",
        "effective_on": D(2021, 7, 15),
        "articles": [
            (
                9,
                "第九条",
                "第二章 行政处罚的种类和设定",
                "行政处罚的种类:\n(一)警告、通报批评;\n(二)罚款、没收违法所得、没收非法财物;\n(三)暂扣许可证件、降低资质等级、吊销许可证件;\n(四)限制开展生产经营活动、责令停产停业、责令关闭、限制从业;\n(五)行政拘留;\n(六)法律、行政法规规定的其他行政处罚。",
            ),
            (
                28,
                "第二十八条",
                "第四章 行政处罚的管辖和适用",
                "行政机关实施行政处罚时,应当责令当事人改正或者限期改正违法行为。\n当事人有违法所得,除依法应当退赔的外,应当予以没收。违法所得是指实施违法行为所取得的款项。法律、行政法规、部门规章对违法所得的计算另有规定的,从其规定。",
            ),
            (
                32,
                "第三十二条",
                "第四章 行政处罚的管辖和适用",
                "当事人有下列情形之一,应当从轻或者减轻行政处罚:\n(一)主动消除或者减轻违法行为危害后果的;\n(二)受他人胁迫或者诱骗实施违法行为的;\n(三)主动供述行政机关尚未掌握的违法行为的;\n(四)配合行政机关查处违法行为有立功表现的;\n(五)法律、法规、规章规定其他应当从轻或者减轻行政处罚的。",
            ),
            (
                33,
                "第三十三条",
                "第四章 行政处罚的管辖和适用",
                "违法行为轻微并及时改正,没有造成危害后果的,不予行政处罚。初次违法且危害后果轻微并及时改正的,可以不予行政处罚。\n当事人有证据足以证明没有主观过错的,不予行政处罚。法律、行政法规另有规定的,从其规定。\n对当事人的违法行为依法不予行政处罚的,行政机关应当对当事人进行教育。",
            ),
            (
                51,
                "第五十一条",
                "第五章 行政处罚的决定",
                "违法事实确凿并有法定依据,对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的行政处罚的,可以当场作出行政处罚决定。法律另有规定的,从其规定。",
            ),
            (
                63,
                "第六十三条",
                "第五章 行政处罚的决定",
                "行政机关拟作出下列行政处罚决定,应当告知当事人有要求听证的权利,当事人要求听证的,行政机关应当组织听证:\n(一)较大数额罚款;\n(二)没收较大数额违法所得、没收较大价值非法财物;\n(三)降低资质等级、吊销许可证件;\n(四)责令停产停业、责令关闭、限制从业;\n(五)其他较重的行政处罚;\n(六)法律、法规、规章规定的其他情形。\n当事人不承担行政机关组织听证的费用。",
            ),
        ],
    },
    {
        "title": "城市市容和环境卫生管理条例",
        "short_title": "市容环卫条例",
        "level": "regulation",
        "issuing_body": "国务院",
        "doc_number": "国务院令第101号(2017年3月1日修订)",
        "effective_on": D(1992, 8, 1),
        "articles": [
            (
                11,
                "第十一条",
                "第二章 城市市容管理",
                "在城市中设置户外广告、标语牌、画廊、橱窗等,应当内容健康、外型美观,并定期维修、油饰或者拆除。\n大型户外广告的设置必须征得城市人民政府市容环境卫生行政主管部门同意后,按照有关规定办理审批手续。",
            ),
            (
                14,
                "第十四条",
                "第二章 城市市容管理",
                "任何单位和个人都不得在街道两侧和公共场地堆放物料,搭建建筑物、构筑物或者其他设施。因建设等特殊需要,在街道两侧和公共场地临时堆放物料,搭建非永久性建筑物、构筑物或者其他设施的,必须征得城市人民政府市容环境卫生行政主管部门同意后,按照有关规定办理审批手续。",
            ),
        ],
    },
    {
        "title": "滨江市市容环境卫生管理条例",
        "short_title": "滨江市容条例",
        "level": "regulation",
        "issuing_body": "滨江市人民代表大会常务委员会",
        "doc_number": "(演示用地方性法规)",
        "effective_on": D(2019, 1, 1),
        "summary": "演示数据:为本平台演示编写的地方性法规条文,非真实法规。",
        "articles": [
            (
                22,
                "第二十二条",
                "第三章 市容秩序",
                "禁止在城市道路、桥梁、广场、地下通道等公共场所擅自摆摊设点、占道经营。\n违反前款规定的,由城市管理综合执法部门责令改正;拒不改正的,处五十元以上五百元以下罚款。",
            ),
            (
                25,
                "第二十五条",
                "第三章 市容秩序",
                "临街商铺经营者应当履行门前三包责任,不得超出门窗进行店外经营、作业或者展示商品。\n违反前款规定的,由城市管理综合执法部门责令改正;拒不改正的,处一百元以上一千元以下罚款。",
            ),
            (
                31,
                "第三十一条",
                "第四章 环境卫生",
                "运输渣土、砂石、建筑垃圾等散体物料的车辆应当密闭运输,不得沿途泄漏、散落或者飞扬。\n违反前款规定的,由城市管理综合执法部门责令清除,处五千元以上三万元以下罚款。",
            ),
            (
                36,
                "第三十六条",
                "第四章 环境卫生",
                "排放油烟的餐饮服务经营者应当安装油烟净化设施并保持正常使用,不得超过排放标准排放油烟。\n违反前款规定的,由城市管理综合执法部门责令改正,处五千元以上五万元以下罚款。",
            ),
            (
                40,
                "第四十条",
                "第四章 环境卫生",
                "施工单位应当对施工工地裸露地面、土方和易产生扬尘的物料采取覆盖、洒水等防尘措施。\n违反前款规定的,由城市管理综合执法部门责令改正,处一万元以上十万元以下罚款。",
            ),
            (
                45,
                "第四十五条",
                "第五章 城市绿化与养犬",
                "携犬出户的,应当为犬只束犬链,由完全民事行为能力人牵领,并及时清除犬只粪便。\n违反前款规定的,由城市管理综合执法部门责令改正,可以处五十元以上二百元以下罚款。",
            ),
            (
                48,
                "第四十八条",
                "第五章 城市绿化与养犬",
                "禁止擅自占用、毁坏城市绿地和砍伐、移植城市树木。\n违反前款规定的,由城市管理综合执法部门责令限期恢复原状,并按照毁坏绿地面积处以每平方米五百元以上一千元以下罚款。",
            ),
        ],
    },
]

# The amendment: 滨江市容条例 第二十二条 gets graded penalties and 首违不罚 from 2026-10-01.
AMENDMENT = (
    "滨江市市容环境卫生管理条例",
    22,
    "禁止在城市道路、桥梁、广场、地下通道等公共场所擅自摆摊设点、占道经营。\n违反前款规定的,由城市管理综合执法部门责令改正;初次违法且及时改正的,可以不予处罚;拒不改正的,处一百元以上一千元以下罚款;情节严重的,可以暂扣其经营工具。",
    D(2026, 10, 1),
    "2026年9月修正",
)

COURSES = [
    {
        "slug": "xzcff-jingjiang",
        "title": "行政处罚法精讲",
        "summary": "围绕2021年修订的《行政处罚法》,讲解处罚种类、首违不罚、从轻减轻、简易程序与听证。",
        "credit": "rule_of_law",
        "required": True,
        "year": 2026,
        "audience": ["leader", "middle", "enforcer", "recruit", "legal"],
        "lessons": [
            (
                "第一讲 行政处罚的种类",
                30,
                ("中华人民共和国行政处罚法", 9),
                "<p>行政处罚法第九条列举了六类行政处罚。城管执法中最常见的是<b>警告、罚款、没收违法所得、没收非法财物</b>。</p><p>注意:<b>责令改正</b>不是行政处罚,而是行政命令。</p>",
                ("下列哪一项不属于行政处罚的种类?", ["警告", "罚款", "责令改正", "没收违法所得"], 2),
            ),
            (
                "第二讲 首违不罚与从轻减轻",
                40,
                ("中华人民共和国行政处罚法", 33),
                "<p>“首违不罚”要同时满足:初次违法、危害后果轻微、及时改正。占道经营、店外经营等市容类轻微违法常常适用。</p><p>适用不予处罚的,应当对当事人进行教育,并制作相应文书。</p>",
                (
                    "初次违法且危害后果轻微并及时改正的,应当如何处理?",
                    ["必须罚款", "可以不予行政处罚", "从重处罚", "移送公安"],
                    1,
                ),
            ),
            (
                "第三讲 简易程序与听证",
                35,
                ("中华人民共和国行政处罚法", 63),
                "<p>当场处罚的金额上限:公民二百元以下,法人或者其他组织三千元以下。</p><p>较大数额罚款应当告知听证权利,当事人不承担听证费用。</p>",
                ("对公民当场作出罚款决定的上限是多少?", ["五十元", "二百元", "五百元", "三千元"], 1),
            ),
        ],
    },
    {
        "slug": "shirong-zhixu-shiwu",
        "title": "市容秩序执法实务",
        "summary": "占道经营、店外经营、户外广告的查处要点与证据收集,结合滨江市容条例的最新修正。",
        "credit": "business",
        "required": True,
        "year": 2026,
        "audience": ["enforcer", "recruit", "auxiliary"],
        "lessons": [
            (
                "占道经营的查处",
                30,
                ("滨江市市容环境卫生管理条例", 22),
                "<p>查处占道经营应当先劝导、责令改正,拒不改正的方可处罚。执法全过程记录仪须全程开启。</p>",
                ("查处占道经营,第一步通常是什么?", ["直接罚款", "暂扣工具", "责令改正", "移送法院"], 2),
            ),
            (
                "户外广告设置管理",
                25,
                ("城市市容和环境卫生管理条例", 11),
                "<p>大型户外广告的设置须经市容环境卫生主管部门同意并办理审批手续。</p>",
                ("设置大型户外广告须先征得哪个部门同意?", ["市场监管部门", "市容环境卫生主管部门", "公安交管部门"], 1),
            ),
        ],
    },
    {
        "slug": "feixianchang-zhifa",
        "title": "非现场执法与执法全过程记录",
        "summary": "视频监控取证、渣土车辆非现场执法、“零陈述”证据链的形成。",
        "credit": "business",
        "required": False,
        "year": 2026,
        "audience": ["middle", "enforcer", "legal"],
        "lessons": [
            (
                "渣土运输非现场执法",
                30,
                ("滨江市市容环境卫生管理条例", 31),
                "<p>通过卡口抓拍、视频巡查固定渣土车未密闭、沿途抛洒的证据,调取车辆登记信息确定当事人。</p>",
                ("渣土车辆应当如何运输?", ["敞开运输", "密闭运输", "夜间运输即可"], 1),
            ),
            (
                "执法全过程记录规范",
                20,
                None,
                "<p>执法记录仪应当在执法开始前开启,完整记录执法过程,不得选择性记录。</p>",
                ("执法记录仪应当何时开启?", ["执法开始前", "发生争执时", "处罚决定后"], 0),
            ),
        ],
    },
    {
        "slug": "2025-falv-zhishi",
        "title": "2025年度城管法律知识更新",
        "summary": "2025年度学法课程(往年课程,供复习)。",
        "credit": "rule_of_law",
        "required": False,
        "year": 2025,
        "audience": ["auxiliary", "enforcer"],
        "lessons": [
            (
                "扬尘与油烟治理的法律依据",
                25,
                ("滨江市市容环境卫生管理条例", 36),
                "<p>餐饮油烟须安装油烟净化设施并正常使用;施工扬尘须覆盖、洒水。</p>",
                ("餐饮服务经营者排放油烟应当安装什么设施?", ["油烟净化设施", "排风扇", "无需设施"], 0),
            ),
        ],
    },
]

# (category code, law, article number, title template, facts templates, decision, penalty range, key points)
CASE_TEMPLATES = [
    (
        "street_vending",
        "滨江市市容环境卫生管理条例",
        22,
        "{street}流动摊贩占道经营案",
        [
            "当事人在{street}人行道上摆摊销售水果,占用盲道约{n}平方米,执法队员现场劝导后仍拒不改正。",
            "当事人于早高峰在{street}路口推车占道经营早点,影响行人通行,经责令改正后再次占道。",
        ],
        "责令改正,处以罚款。",
        (100, 500),
        "先教育后处罚:劝导、责令改正并记录在案,当事人拒不改正的方可处罚;注意执法记录仪全程记录。",
    ),
    (
        "street_vending",
        "滨江市市容环境卫生管理条例",
        25,
        "{street}商铺店外经营案",
        [
            "{street}一家五金店将货架摆放至店外人行道经营,超出门窗约{n}米,经多次告知仍未整改。",
            "{street}一家餐馆在店外人行道摆放桌椅经营夜宵,影响行人通行并产生垃圾。",
        ],
        "责令改正,处以罚款。",
        (200, 1000),
        "门前三包责任书是认定店外经营的重要证据;注意区分店外经营与临时装卸货物。",
    ),
    (
        "outdoor_ads",
        "城市市容和环境卫生管理条例",
        11,
        "{street}擅自设置户外广告案",
        [
            "当事人未经审批在{street}临街外墙设置大型户外广告牌约{n}平方米。",
            "当事人在{street}人行道上擅自设置落地式广告灯箱,影响市容。",
        ],
        "责令限期拆除,处以罚款。",
        (500, 5000),
        "大型户外广告须经市容环境卫生主管部门同意并办理审批;拍照测量广告面积作为裁量依据。",
    ),
    (
        "illegal_building",
        "城市市容和环境卫生管理条例",
        14,
        "{street}楼顶违法建设案",
        [
            "业主在{street}某小区楼顶违章搭建彩钢板房约{n}平方米,未取得建设工程规划许可。",
            "当事人在{street}沿街公共场地搭建简易棚屋用于堆放物料。",
        ],
        "责令限期拆除。",
        None,
        "违法建设案件须先认定是否可采取改正措施消除影响;无法补办手续的依法责令限期拆除。",
    ),
    (
        "waste_sorting",
        None,
        None,
        "{street}单位未分类投放生活垃圾案",
        [
            "{street}某餐饮企业将厨余垃圾与其他垃圾混合投放,经两次书面告知仍未改正。",
            "{street}某写字楼物业未按规定设置分类收集容器,导致垃圾混投。",
        ],
        "责令改正,处以罚款。",
        (200, 2000),
        "垃圾分类执法以宣传引导为主,首次发现以书面告知为主,屡教不改的依法处罚。",
    ),
    (
        "greenery",
        "滨江市市容环境卫生管理条例",
        48,
        "{street}擅自占用毁坏绿地案",
        [
            "当事人在{street}绿化带内堆放建筑材料,毁坏绿地约{n}平方米。",
            "当事人为方便车辆进出,擅自将{street}绿地硬化约{n}平方米。",
        ],
        "责令限期恢复原状,按毁坏面积处以罚款。",
        (5000, 20000),
        "毁绿面积须现场测量并由当事人签字确认;罚款按面积计算时注意计算过程写入决定书。",
    ),
    (
        "gas_safety",
        None,
        None,
        "{street}餐饮店违规使用瓶装燃气案",
        [
            "检查发现{street}一家餐饮店在地下室使用瓶装液化石油气,未安装可燃气体报警装置。",
            "{street}一家小吃店同时存放{n}只液化气钢瓶,且与明火距离过近。",
        ],
        "责令立即改正,处以罚款。",
        (1000, 10000),
        "燃气安全检查与市场监管、消防联动;发现重大隐患立即责令停止使用。",
    ),
    (
        "dust",
        "滨江市市容环境卫生管理条例",
        40,
        "{street}建筑工地扬尘污染案",
        [
            "{street}某建筑工地裸土约{n}平方米未覆盖,大风天气扬尘严重,周边居民投诉。",
            "{street}某拆迁工地拆除作业未采取洒水降尘措施。",
        ],
        "责令改正,处以罚款。",
        (10000, 50000),
        "扬尘案件注意现场照片、视频与气象记录相结合;施工单位与建设单位的责任须分清。",
    ),
    (
        "cooking_fumes",
        "滨江市市容环境卫生管理条例",
        36,
        "{street}餐饮油烟直排案",
        [
            "{street}一家烧烤店未安装油烟净化设施,油烟直排居民楼,群众多次投诉。",
            "{street}一家餐馆油烟净化设施长期未清洗,不能正常使用。",
        ],
        "责令改正,处以罚款。",
        (5000, 20000),
        "油烟案件须查明净化设施是否安装及是否正常使用;可委托检测机构出具检测报告。",
    ),
    (
        "noise",
        None,
        None,
        "{street}商业经营噪声扰民案",
        [
            "{street}一家商铺使用高音喇叭招揽顾客,噪声扰民,经劝阻仍不停止。",
            "{street}夜市经营者夜间使用音响设备播放音乐,周边居民投诉。",
        ],
        "责令改正,给予警告。",
        None,
        "社会生活噪声案件注意现场测量与证人证言;首次发现以警告为主。",
    ),
    (
        "dog_keeping",
        "滨江市市容环境卫生管理条例",
        45,
        "{street}携犬出户未束犬链案",
        [
            "养犬人在{street}携犬出户未束犬链,犬只追逐惊吓路人。",
            "养犬人在{street}广场遛犬未及时清除犬只粪便,经劝导拒不清理。",
        ],
        "责令改正,处以罚款。",
        (50, 200),
        "文明养犬执法以教育为主;当事人拒不配合的,注意执法记录仪全程记录。",
    ),
    (
        "muck_transport",
        "滨江市市容环境卫生管理条例",
        31,
        "{street}渣土车沿途抛洒案",
        [
            "卡口抓拍显示一辆渣土车在{street}未密闭运输,沿途抛洒建筑垃圾约{n}米。",
            "一辆渣土运输车辆夜间在{street}撒漏泥土,造成路面污染。",
        ],
        "责令清除,处以罚款。",
        (5000, 30000),
        "非现场执法:通过卡口抓拍、视频巡查固定证据,调取车辆登记信息确定运输单位,形成完整证据链。",
    ),
    (
        "municipal_facilities",
        None,
        None,
        "{street}擅自挖掘城市道路案",
        ["当事人未经批准擅自挖掘{street}人行道约{n}米铺设管线。", "当事人擅自占用{street}城市道路堆放施工物料。"],
        "责令限期改正,处以罚款。",
        (1000, 20000),
        "市政设施案件须核实挖掘许可手续;与道路管理部门做好移交衔接。",
    ),
]
STREETS = ["滨江路", "解放路", "人民大道", "江南大街", "中山路", "建设路", "新华街", "光明路", "长江路", "文化路"]
SQUADS = ["执法一中队", "执法二中队", "执法三中队", "执法四中队", "市容秩序中队", "渣土运输执法中队"]


# Shorthand officers type → what the cases say (trainers edit this list in /cms/ under 法规与分类 > 检索同义词).
SYNONYMS = [
    ("违建", ["违法建设", "违章搭建", "违法建筑"]),
    ("占道", ["占道经营", "占用道路"]),
    ("渣土", ["建筑垃圾", "渣土运输"]),
    ("摆摊", ["占道经营", "摆摊设点", "流动摊贩"]),
    ("油烟", ["餐饮油烟", "油烟直排"]),
    ("噪音", ["噪声"]),
    ("养狗", ["养犬", "犬只"]),
    ("遛狗", ["遛犬", "携犬出户"]),
    ("店外", ["店外经营"]),
    ("非现场", ["非现场执法", "卡口抓拍"]),
    ("首违", ["首违不罚", "不予行政处罚", "初次违法"]),
    ("单车", ["共享单车"]),
    ("广告牌", ["户外广告"]),
    ("城管", ["城市管理", "综合执法"]),
]


def seed_synonyms() -> None:
    for term, expansions in SYNONYMS:
        services.search_synonym_ensure(term=term, expansions=expansions)


def _decided_on(number: int) -> dt.date:
    """Cases are dated in the past relative to the run date (a week to almost three years back), spread over the
    months, so the library never shows decisions from the future."""
    return timezone.localdate() - dt.timedelta(days=7 + (number * 53) % 1000)


def _owner() -> User | None:
    return User.objects.filter(username="trainer01").first()


def _approver() -> User | None:
    """法制科 approver fzk01 (a trainer in the 法制科审核 group)."""
    user = User.objects.filter(username="fzk01").first()
    if user is None:
        from demo.org_seed import BUREAU, DEMO_PASSWORD
        from org import services as org_services
        from org.models import RoleGrant

        unit = org_services.unit_ensure_path(path=f"{BUREAU}/法制科")
        officer = org_services.officer_provision(
            employee_no="fzk01",
            name="陈法",
            unit=unit,
            role_category=RoleCategory.objects.get(code="legal"),
            password=DEMO_PASSWORD,
        )
        user = officer.user
        org_services.role_grant(user=user, role=RoleGrant.Role.TRAINER)
    user.groups.add(Group.objects.get_or_create(name=services.APPROVER_GROUP)[0])
    return user


def _publish(page, owner) -> None:
    """Written by the trainer, published by 法制科 (the seeder has no time to walk each page through review)."""
    page.save_revision(user=owner).publish(user=_approver(), skip_permission_checks=True)
    services.page_citations_sync(page=page)


def seed_laws() -> dict[tuple[str, int], Article]:
    articles = {}
    for spec in LAWS:
        spec = dict(spec)
        items = spec.pop("articles")
        law = services.law_ensure(**spec)
        for number, label, chapter, text in items:
            articles[(law.title, number)] = services.article_ensure(
                law=law, number=number, label=label, chapter=chapter, text=text, effective_from=law.effective_on
            )
    return articles


def seed_courses(tree, articles, owner) -> list[CoursePage]:
    courses = []
    roles = {r.code: r for r in RoleCategory.objects.all()}
    for spec in COURSES:
        course = CoursePage.objects.filter(slug=spec["slug"]).first()
        if course is None:
            course = CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                credit_category=CreditCategory.objects.get(code=spec["credit"]),
                required=spec["required"],
                year=spec["year"],
                owner=owner,
            )
            tree["courses"].add_child(instance=course)
            course.audience.set([roles[c] for c in spec["audience"] if c in roles])
            _publish(course, owner)
            for index, (title, minutes, cite, html, check) in enumerate(spec["lessons"], start=1):
                body = [{"type": "text", "value": html}]
                if cite is not None:
                    body.append({"type": "law_article", "value": {"article": articles[cite].pk, "note": ""}})
                prompt, options, answer = check
                body.append(
                    {
                        "type": "check",
                        "id": f"{spec['slug']}-{index}-check",
                        "value": {"prompt": prompt, "options": options, "answer_index": answer},
                    }
                )
                lesson = LessonPage(
                    title=title, slug=f"{spec['slug']}-{index}", credited_minutes=minutes, body=body, owner=owner
                )
                course.add_child(instance=lesson)
                _publish(lesson, owner)
        courses.append(course)
    return courses


def seed_cases(tree, articles, owner) -> list[CasePage]:
    rng = random.Random(20261121)
    categories = {c.code: c for c in ViolationCategory.objects.all()}
    kinds = [CasePage.Kind.TYPICAL, CasePage.Kind.TYPICAL, CasePage.Kind.GUIDING, CasePage.Kind.MODEL_FILE]
    cases = []
    number = 0
    for round_ in range(4):
        for cat, law_title, art_no, title_t, facts_t, decision, penalty, key_points in CASE_TEMPLATES:
            if round_ == 3 and cat not in ("street_vending", "muck_transport", "dust", "cooking_fumes"):
                continue
            number += 1
            slug = f"case-{number:03d}"
            existing = CasePage.objects.filter(slug=slug).first()
            street = STREETS[(number * 7) % len(STREETS)]
            n = rng.randint(2, 60)
            kind = CasePage.Kind.OFF_SITE if cat == "muck_transport" and round_ % 2 == 0 else kinds[number % len(kinds)]
            if existing is not None:
                cases.append(existing)
                continue
            decided = _decided_on(number)
            amount = Decimal(rng.randrange(penalty[0], penalty[1] + 1, 50)) if penalty else None
            case = CasePage(
                title=title_t.format(street=street),
                slug=slug,
                case_number=f"滨城执罚〔{decided.year}〕{100 + number}号",
                category=categories[cat],
                kind=kind,
                facts=facts_t[round_ % len(facts_t)].format(street=street, n=n),
                evidence="现场检查笔录、询问笔录、现场照片及执法记录仪视频、当事人身份信息。",
                discretion=(
                    "当事人系初次违法,主动配合调查,依据本局行政处罚裁量基准在法定幅度内从轻处罚。"
                    if number % 3
                    else "当事人经责令改正后拒不改正,依据裁量基准按一般情节处罚。"
                ),
                decision=decision,
                penalty_amount=amount,
                key_points=key_points,
                source_unit=SQUADS[number % len(SQUADS)],
                decided_on=decided,
                owner=owner,
            )
            basis = []
            if law_title:
                basis.append(CaseLegalBasis(article=articles[(law_title, art_no)], note=""))
            if number % 3 == 1:
                basis.append(CaseLegalBasis(article=articles[("中华人民共和国行政处罚法", 32)], note="从轻处罚"))
            elif number % 5 == 0:
                basis.append(CaseLegalBasis(article=articles[("中华人民共和国行政处罚法", 33)], note="首违不罚"))
            case.legal_basis = basis
            tree["cases"].add_child(instance=case)
            _publish(case, owner)
            cases.append(case)
    return cases


def seed_compilation(tree, cases, owner) -> CompilationPage:
    page = CompilationPage.objects.filter(slug="2026-typical-cases").first()
    if page is None:
        page = CompilationPage(
            title="2026年滨江区城管执法典型案例汇编",
            slug="2026-typical-cases",
            compiled_by="滨江区城市管理综合执法局法制科",
            foreword=(
                "为深入贯彻《行政处罚法》,提升一线执法人员依法履职能力,法制科从各中队报送的案卷中精选典型案例,"
                "涵盖占道经营、户外广告、违法建设、渣土运输、扬尘、餐饮油烟等领域,供全局执法人员学习参考。"
            ),
            owner=owner,
        )
        picked = [c for c in cases if c.kind in (CasePage.Kind.TYPICAL, CasePage.Kind.GUIDING)][:12]
        page.items = [CompilationItem(case=c) for c in picked]
        tree["cases"].add_child(instance=page)
        _publish(page, owner)
    return page


def seed_moderation_example(tree, owner) -> None:
    """One case submitted by a trainer and waiting for 法制科 approval, so the workflow shows in /cms/."""
    if CasePage.objects.filter(slug="case-pending-review").exists() or owner is None:
        return
    case = CasePage(
        title="江南大街共享单车乱停放案(待审核)",
        slug="case-pending-review",
        category=ViolationCategory.objects.get(code="shared_bikes"),
        facts="某共享单车运营企业在江南大街地铁口投放车辆严重超量,未及时清理。",
        decision="责令限期清理。",
        decided_on=timezone.localdate() - dt.timedelta(days=20),
        live=False,
        owner=owner,
    )
    tree["cases"].add_child(instance=case)
    case.save_revision(user=owner, clean=False)
    workflow = tree["workflow"]
    workflow.start(case, owner)


# English names of the taxonomies, shown when the interface is switched to English.
CREDIT_NAMES_EN = {
    "rule_of_law": "Rule-of-law education",
    "business": "Professional training",
    "political": "Political theory",
    "law_exam": "Law exam",
    "mentoring": "Mentoring",
}
VIOLATION_NAMES_EN = {
    "illegal_building": "Illegal construction",
    "street_vending": "City appearance / street vending",
    "outdoor_ads": "Outdoor advertising",
    "waste_sorting": "Waste sorting",
    "greenery": "Municipal greenery / damage to green space",
    "gas_safety": "Gas safety",
    "dust": "Dust",
    "cooking_fumes": "Cooking fumes",
    "noise": "Noise",
    "dog_keeping": "Dog keeping",
    "muck_transport": "Muck transport",
    "municipal_facilities": "Municipal facilities",
    "shared_bikes": "Shared bike parking",
}


def seed_taxonomy_names() -> None:
    for model, names in ((CreditCategory, CREDIT_NAMES_EN), (ViolationCategory, VIOLATION_NAMES_EN)):
        for code, name_en in names.items():
            model.objects.filter(code=code).exclude(name_en=name_en).update(name_en=name_en)


def seed_content() -> dict:
    tree = services.content_tree_ensure()
    seed_taxonomy_names()
    seed_synonyms()
    owner = _owner()
    approver = _approver()
    articles = seed_laws()
    courses = seed_courses(tree, articles, owner)
    cases = seed_cases(tree, articles, owner)
    compilation = seed_compilation(tree, cases, owner)
    seed_moderation_example(tree, owner)
    law_title, number, text, effective_from, note = AMENDMENT
    article = Article.objects.get(law__title=law_title, number=number)
    _version, flagged = services.article_amend(
        article=article, text=text, effective_from=effective_from, source_note=note, actor=approver
    )
    return {"courses": courses, "cases": cases, "compilation": compilation, "flagged": flagged}
