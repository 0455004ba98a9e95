"""Demo question bank: about 60 questions on 行政处罚法 and urban-management enforcement, across every question
type and several categories. Idempotent (questions already in the bank are skipped) and fast."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils.translation import gettext as _

from exams import services
from exams.formats.base import ParseResult
from exams.formats.xlsx import question_from_values
from org.models import User

CF = "《中华人民共和国行政处罚法》"
SR = "《城市市容和环境卫生管理条例》"
GL = "《城市管理执法办法》"
P = "行政处罚法"
U = "城市管理执法"

# (题型, 分类, 题干, 选项, 答案, 分值, 难度, 解析, 法条依据, 违法类别代码, 标签)
BANK: list[tuple] = [
    # --- 行政处罚法/总则 ---
    ("单选", f"{P}/总则", "现行《中华人民共和国行政处罚法》自何时起施行?",
     ["2021年7月15日", "2021年1月22日", "1996年10月1日", "2022年1月1日"], "A", 1, 1,
     "2021年1月22日修订通过,自2021年7月15日起施行。", f"{CF}第八十六条", "", "施行日期"),
    ("多选", f"{P}/总则", "下列属于《行政处罚法》规定的行政处罚种类的有:",
     ["警告、通报批评", "罚款、没收违法所得、没收非法财物", "暂扣许可证件、降低资质等级、吊销许可证件", "记过、降级"], "ABC", 2, 2,
     "记过、降级属于政务处分,不是行政处罚。", f"{CF}第九条", "", "处罚种类"),
    ("判断", f"{P}/总则", "通报批评是2021年修订后《行政处罚法》新增的行政处罚种类。", [], "正确", 1, 2,
     "第九条将通报批评与警告并列为申诫罚。", f"{CF}第九条", "", "处罚种类"),
    ("单选", f"{P}/总则", "国家在城市管理等领域推行建立综合行政执法制度,相对集中的是哪一项权力?",
     ["行政许可权", "行政处罚权", "行政强制执行权", "行政复议权"], "B", 1, 2,
     "第十八条:国家在城市管理、市场监管等领域推行建立综合行政执法制度,相对集中行政处罚权。", f"{CF}第十八条", "", "综合执法"),
    ("判断", f"{P}/总则", "对当事人的同一个违法行为,不得给予两次以上罚款的行政处罚。", [], "正确", 1, 1,
     "一事不再罚原则。同一违法行为违反多个法律规范应当给予罚款处罚的,按照罚款数额高的规定处罚。", f"{CF}第二十九条", "", "一事不再罚"),
    ("填空", f"{P}/总则", "行政机关实施行政处罚时,应当责令当事人____或者限期改正违法行为。", [], "改正", 1, 2,
     "第二十八条第一款。", f"{CF}第二十八条", "", "责令改正"),
    ("多选", f"{P}/总则", "下列关于行政处罚设定的说法,正确的有:",
     ["法律可以设定各种行政处罚", "限制人身自由的行政处罚只能由法律设定", "地方性法规可以设定吊销营业执照的处罚", "规章可以设定警告、通报批评或者一定数额罚款"], "ABD", 2, 4,
     "地方性法规可以设定除限制人身自由、吊销营业执照以外的行政处罚。", f"{CF}第十条;{CF}第十二条;{CF}第十四条", "", "处罚设定"),
    # --- 行政处罚法/管辖与适用 ---
    ("单选", f"{P}/管辖与适用", "行政处罚由哪里的行政机关管辖(法律、行政法规、部门规章另有规定的除外)?",
     ["当事人住所地", "违法行为发生地", "违法结果发生地", "当事人户籍所在地"], "B", 1, 1,
     "第二十二条:行政处罚由违法行为发生地的行政机关管辖。", f"{CF}第二十二条", "", "管辖"),
    ("单选", f"{P}/管辖与适用", "不满多少周岁的未成年人有违法行为的,不予行政处罚,责令监护人加以管教?",
     ["十二周岁", "十四周岁", "十六周岁", "十八周岁"], "B", 1, 1,
     "已满十四周岁不满十八周岁的未成年人有违法行为的,应当从轻或者减轻行政处罚。", f"{CF}第三十条", "", "责任年龄"),
    ("判断", f"{P}/管辖与适用", "违法行为轻微并及时改正,没有造成危害后果的,可以不予行政处罚。", [], "错误", 1, 3,
     "应当是“不予行政处罚”;“可以不予行政处罚”适用于初次违法且危害后果轻微并及时改正的情形。", f"{CF}第三十三条", "", "首违不罚"),
    ("判断", f"{P}/管辖与适用", "初次违法且危害后果轻微并及时改正的,可以不予行政处罚。", [], "正确", 1, 2,
     "即“首违不罚”,属于裁量情形。", f"{CF}第三十三条", "street_vending", "首违不罚"),
    ("填空", f"{P}/管辖与适用", "违法行为在____年内未被发现的,不再给予行政处罚;法律另有规定的除外。", [], "二|2|两", 1, 2,
     "涉及公民生命健康安全、金融安全且有危害后果的,期限延长至五年。", f"{CF}第三十六条", "", "追责时效"),
    ("多选", f"{P}/管辖与适用", "当事人有下列哪些情形的,应当从轻或者减轻行政处罚?",
     ["主动消除或者减轻违法行为危害后果的", "受他人胁迫或者诱骗实施违法行为的", "主动供述行政机关尚未掌握的违法行为的", "违法行为被发现后拒不改正的"], "ABC", 2, 3,
     "第三十二条列举了应当从轻或者减轻处罚的情形;拒不改正不属于。", f"{CF}第三十二条", "", "从轻减轻"),
    ("判断", f"{P}/管辖与适用", "当事人有证据足以证明没有主观过错的,不予行政处罚,法律、行政法规另有规定的从其规定。", [], "正确", 1, 3,
     "第三十三条第二款,过错推定原则。", f"{CF}第三十三条", "", "主观过错"),
    ("单选", f"{P}/管辖与适用", "违法行为涉及公民生命健康安全、金融安全且有危害后果的,追责期限延长至几年?",
     ["三年", "四年", "五年", "十年"], "C", 1, 3, "第三十六条第一款。", f"{CF}第三十六条", "", "追责时效"),
    # --- 行政处罚法/简易程序 ---
    ("多选", f"{P}/简易程序", "适用简易程序当场作出行政处罚决定,须同时具备哪些条件?",
     ["违法事实确凿", "有法定依据", "对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告", "当事人同意"], "ABC", 2, 3,
     "第五十一条。当事人同意不是法定条件。", f"{CF}第五十一条", "", "简易程序"),
    ("单选", f"{P}/简易程序", "适用简易程序,对公民可以当场处以多少元以下的罚款?",
     ["五十元", "一百元", "二百元", "五百元"], "C", 1, 2, "对法人或者其他组织为三千元以下。", f"{CF}第五十一条", "street_vending", "简易程序"),
    ("填空", f"{P}/简易程序", "适用简易程序,对法人或者其他组织可以当场处以____元以下罚款。", [], "三千|3000|3,000", 1, 2,
     "第五十一条。", f"{CF}第五十一条", "", "简易程序"),
    ("判断", f"{P}/简易程序", "执法人员当场作出的行政处罚决定,应当报所属行政机关备案。", [], "正确", 1, 1,
     "第五十二条第三款。", f"{CF}第五十二条", "", "简易程序"),
    ("判断", f"{P}/简易程序", "当场作出行政处罚决定时,执法人员可以口头告知处罚决定,不必填写预定格式、编有号码的行政处罚决定书。", [], "错误", 1, 2,
     "应当向当事人出示执法证件,填写预定格式、编有号码的行政处罚决定书,并当场交付当事人。", f"{CF}第五十二条", "", "简易程序"),
    ("多选", f"{P}/简易程序", "依照简易程序当场作出行政处罚决定后,下列哪些情形执法人员可以当场收缴罚款?",
     ["依法给予一百元以下罚款的", "不当场收缴事后难以执行的", "当事人主动要求的任何罚款", "罚款数额在一千元以下的"], "AB", 2, 3,
     "第六十八条。在边远、水上、交通不便地区的情形另见第六十九条。", f"{CF}第六十八条", "", "当场收缴"),
    # --- 行政处罚法/普通程序 ---
    ("单选", f"{P}/普通程序", "执法人员在调查或者进行检查时,执法人员不得少于几人?",
     ["一人", "两人", "三人", "四人"], "B", 1, 1, "第四十二条、第五十五条。", f"{CF}第四十二条", "", "执法主体"),
    ("判断", f"{P}/普通程序", "行政机关不得因当事人陈述、申辩而给予更重的处罚。", [], "正确", 1, 1,
     "第四十五条第二款。", f"{CF}第四十五条", "", "陈述申辩"),
    ("多选", f"{P}/普通程序", "作出行政处罚决定之前,行政机关应当告知当事人哪些内容?",
     ["拟作出的行政处罚内容", "事实、理由、依据", "陈述、申辩、要求听证等权利", "办案人员的家庭住址"], "ABC", 2, 2,
     "第四十四条。", f"{CF}第四十四条", "", "告知"),
    ("单选", f"{P}/普通程序", "在证据可能灭失或者以后难以取得的情况下,经行政机关负责人批准先行登记保存的,应当在几日内及时作出处理决定?",
     ["三日", "五日", "七日", "十五日"], "C", 1, 3, "第五十六条。", f"{CF}第五十六条", "illegal_building", "证据"),
    ("填空", f"{P}/普通程序", "行政机关应当自行政处罚案件立案之日起____日内作出行政处罚决定,法律、法规、规章另有规定的除外。", [], "九十|90", 1, 3,
     "第六十条。", f"{CF}第六十条", "", "办案期限"),
    ("单选", f"{P}/普通程序", "行政处罚决定书应当在宣告后当场交付当事人;当事人不在场的,应当在几日内送达?",
     ["三日", "五日", "七日", "十日"], "C", 1, 2, "第六十一条。当事人同意并签订确认书的,可以采用传真、电子邮件等方式送达。", f"{CF}第六十一条", "", "送达"),
    ("多选", f"{P}/普通程序", "下列哪些情形,在行政机关负责人作出行政处罚决定之前,应当由从事法制审核的人员进行法制审核?",
     ["涉及重大公共利益的", "直接关系当事人或者第三人重大权益,经过听证程序的", "案件情况疑难复杂、涉及多个法律关系的", "适用简易程序当场处罚的"], "ABC", 2, 4,
     "第五十八条。", f"{CF}第五十八条", "", "法制审核"),
    ("判断", f"{P}/普通程序", "行政机关初次从事行政处罚决定法制审核的人员,应当通过国家统一法律职业资格考试取得法律职业资格。", [], "正确", 1, 3,
     "第五十八条第二款。", f"{CF}第五十八条", "", "法制审核"),
    ("判断", f"{P}/普通程序", "执法人员与案件有直接利害关系的,应当回避。", [], "正确", 1, 1,
     "第四十三条。", f"{CF}第四十三条", "", "回避"),
    ("多选", f"{P}/普通程序", "执法人员调查或者进行检查时,下列做法符合规定的有:",
     ["主动向当事人出示执法证件", "询问或者检查时制作笔录", "当事人拒绝签字的,注明情况", "由一名执法人员单独询问并记录"], "ABC", 2, 2,
     "第五十五条:出示执法证件;执法人员不得少于两人。", f"{CF}第五十五条", "", "调查取证"),
    # --- 行政处罚法/听证程序 ---
    ("多选", f"{P}/听证程序", "行政机关拟作出下列哪些行政处罚决定,应当告知当事人有要求听证的权利?",
     ["较大数额罚款", "吊销许可证件", "责令停产停业、责令关闭", "警告"], "ABC", 2, 3, "第六十三条。", f"{CF}第六十三条", "", "听证"),
    ("单选", f"{P}/听证程序", "当事人要求听证的,应当在行政机关告知后几日内提出?",
     ["三日", "五日", "七日", "十日"], "B", 1, 2, "第六十四条第一项。", f"{CF}第六十四条", "", "听证"),
    ("填空", f"{P}/听证程序", "行政机关应当在举行听证的____日前,通知当事人及有关人员听证的时间、地点。", [], "七|7", 1, 3,
     "第六十四条第二项。", f"{CF}第六十四条", "", "听证"),
    ("判断", f"{P}/听证程序", "当事人不承担行政机关组织听证的费用。", [], "正确", 1, 1, "第六十三条第二款。", f"{CF}第六十三条", "", "听证"),
    ("判断", f"{P}/听证程序", "听证一律公开举行。", [], "错误", 1, 2,
     "除涉及国家秘密、商业秘密或者个人隐私依法予以保密外,听证公开举行。", f"{CF}第六十四条", "", "听证"),
    # --- 行政处罚法/执行 ---
    ("填空", f"{P}/执行", "当事人应当自收到行政处罚决定书之日起____日内,到指定的银行或者通过电子支付系统缴纳罚款。", [], "十五|15", 1, 1,
     "第六十七条第三款。", f"{CF}第六十七条", "", "罚款缴纳"),
    ("单选", f"{P}/执行", "当事人到期不缴纳罚款的,每日按罚款数额的百分之几加处罚款?",
     ["百分之一", "百分之二", "百分之三", "百分之五"], "C", 1, 2, "加处罚款的数额不得超出罚款的数额。", f"{CF}第七十二条", "", "加处罚款"),
    ("判断", f"{P}/执行", "加处罚款的数额可以超过原罚款数额。", [], "错误", 1, 2, "第七十二条第一项。", f"{CF}第七十二条", "", "加处罚款"),
    ("判断", f"{P}/执行", "作出罚款决定的行政机关应当与收缴罚款的机构分离。", [], "正确", 1, 1,
     "罚缴分离原则,当场收缴的情形除外。", f"{CF}第六十七条", "", "罚缴分离"),
    ("多选", f"{P}/执行", "当事人对行政处罚决定不服,可以依法:",
     ["申请行政复议", "提起行政诉讼", "拒绝履行处罚决定直至复议结束", "向作出决定的执法人员个人索赔"], "AB", 2, 2,
     "复议或者诉讼期间,行政处罚不停止执行,法律另有规定的除外。", f"{CF}第七十三条", "", "救济"),
    # --- 城市管理执法/市容环境 ---
    ("单选", f"{U}/市容环境", "未经批准在城市建筑物、设施上张挂、张贴宣传品,依据《城市市容和环境卫生管理条例》,除责令纠正外可以并处:",
     ["警告、罚款", "行政拘留", "吊销营业执照", "没收全部财产"], "A", 1, 2,
     "第三十四条:责令其纠正违法行为、采取补救措施外,可以并处警告、罚款。", f"{SR}第十七条;{SR}第三十四条", "outdoor_ads", "乱张贴"),
    ("判断", f"{U}/市容环境", "任何单位和个人都不得在街道两侧和公共场地堆放物料,因建设等特殊需要临时堆放的,须经批准。", [], "正确", 1, 1,
     "《城市市容和环境卫生管理条例》第十四条。", f"{SR}第十四条", "street_vending", "占道"),
    ("多选", f"{U}/市容环境", "巡查中发现下列行为,属于城管执法部门市容环境卫生执法范围的有:",
     ["在树木上涂写、刻画", "随地吐痰、乱扔烟头", "未经批准擅自设置大型户外广告", "醉酒驾驶机动车"], "ABC", 2, 2,
     "醉酒驾驶属于公安机关交通管理部门职责。", f"{SR}第三十四条", "outdoor_ads", "职责边界"),
    ("判断", f"{U}/市容环境", "店外经营、占道经营是城管执法中常见的市容秩序类违法行为,首次发现且及时改正、危害后果轻微的,可以依法不予处罚。", [], "正确", 1, 2,
     "结合《行政处罚法》第三十三条“首违不罚”和本地免罚清单适用。", f"{CF}第三十三条", "street_vending", "首违不罚"),
    ("填空", f"{U}/市容环境", "运输渣土的车辆应当____、密闭运输,防止沿途泄漏、遗撒。", [], "覆盖|苫盖|遮盖", 1, 2,
     "渣土运输须密闭或覆盖,按核准路线、时间运输。", "", "muck_transport", "渣土运输"),
    ("单选", f"{U}/市容环境", "施工工地扬尘防治“六个百分之百”不包括下列哪一项?",
     ["工地周边百分之百围挡", "物料堆放百分之百覆盖", "出入车辆百分之百冲洗", "施工人员百分之百本地户籍"], "D", 1, 2,
     "六个百分之百:围挡、覆盖、冲洗、湿法作业、路面硬化、渣土车辆密闭运输。", "", "dust", "扬尘"),
    ("多选", f"{U}/市容环境", "对餐饮服务单位油烟扰民的投诉,执法人员现场检查时应当重点核查:",
     ["是否安装油烟净化设施", "油烟净化设施是否正常使用", "排放口位置是否符合要求", "经营者的个人婚姻状况"], "ABC", 2, 3,
     "依据大气污染防治有关规定核查设施安装、运行及排放。", "", "cooking_fumes", "餐饮油烟"),
    # --- 城市管理执法/执法规范 ---
    ("判断", f"{U}/执法规范", "协管人员可以独立作出行政处罚决定。", [], "错误", 1, 1,
     "协管人员只能配合执法人员从事宣传教育、巡查、信息收集、违法行为劝阻等辅助事务,不得从事具体行政执法工作。", f"{GL}", "", "协管员"),
    ("判断", f"{U}/执法规范", "城市管理执法人员应当持证上岗,未取得执法证件的人员不得从事执法工作。", [], "正确", 1, 1,
     "未经培训测试的一律不得申请执法证年审,持证上岗是基本要求。", f"{GL}", "", "持证上岗"),
    ("多选", f"{U}/执法规范", "行政执法“三项制度”是指:",
     ["行政执法公示制度", "执法全过程记录制度", "重大执法决定法制审核制度", "执法人员末位淘汰制度"], "ABC", 2, 2,
     "国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见。", f"{CF}第三十九条;{CF}第四十七条;{CF}第五十八条", "", "三项制度"),
    ("单选", f"{U}/执法规范", "执法全过程记录中,现场执法音像记录应当做到:",
     ["只记录对执法人员有利的部分", "从执法开始到结束全程不间断记录", "由当事人决定是否记录", "仅在当事人要求时记录"], "B", 1, 2,
     "执法全过程记录应当客观、公正、完整。", f"{CF}第四十七条", "", "全过程记录"),
    ("判断", f"{U}/执法规范", "行政处罚的实施机关、立案依据、实施程序和救济渠道等信息应当公示。", [], "正确", 1, 2,
     "第三十九条。", f"{CF}第三十九条", "", "执法公示"),
    ("单选", f"{U}/执法规范", "利用电子技术监控设备收集、固定违法事实的,记录内容应当:",
     ["真实、清晰、完整、准确", "只要能看清车牌即可", "由设备厂家审核", "无需告知当事人"], "A", 1, 3,
     "第四十一条:电子技术监控设备应当经过法制和技术审核,记录内容应当真实、清晰、完整、准确,并及时告知当事人。", f"{CF}第四十一条", "shared_bikes", "非现场执法"),
    ("多选", f"{U}/执法规范", "执法人员在执法过程中应当做到:",
     ["规范着装、佩戴标志", "文明用语、理性执法", "主动出示执法证件", "对围观群众一律驱离并没收手机"], "ABC", 2, 1,
     "城市管理执法行为规范的基本要求。", f"{GL}", "", "文明执法"),
    # --- 城市管理执法/案例分析 ---
    ("案例分析", f"{U}/案例分析",
     "2026年5月,执法一中队队员在巡查中发现,某水果店经营者王某将货架摆放至店外人行道约3米,影响行人通行。队员当场劝导,王某收回货架。"
     "次日巡查发现王某再次外摆。请分析:(1)王某的行为属于何种违法行为;(2)两次情形分别应如何处理;(3)办案中应注意哪些程序要求。",
     [], "(1)店外经营/占道经营,违反市容环境卫生管理规定;(2)首次已及时改正、危害轻微,可依“首违不罚”不予处罚并教育;再次违法不再适用首违不罚,"
     "依法责令改正并可处罚款,数额符合简易程序条件的可当场处罚;(3)两名以上执法人员、出示证件、告知陈述申辩权、全过程记录、制作决定书并备案。",
     10, 4, "考查首违不罚的适用条件与简易程序。", f"{CF}第三十三条;{CF}第五十一条;{SR}第十四条", "street_vending", "案例、占道经营"),
    ("案例分析", f"{U}/案例分析",
     "某建筑公司在未取得建设工程规划许可证的情况下,在滨江区某地块搭建临时板房用作仓库,面积约200平方米。执法部门接到举报后立案调查,"
     "拟作出限期拆除并处罚款的决定。请分析该案的调查取证要点和当事人享有的程序权利。",
     [], "要点:现场勘验、测量、拍照摄像并制作笔录;调取规划许可情况;询问当事人;证据可能灭失时先行登记保存并在七日内处理;"
     "拟作出较大数额罚款应告知听证权利,当事人五日内提出;作出决定前告知事实、理由、依据及陈述申辩权;重大决定法制审核。",
     10, 5, "考查违法建设案件的普通程序与听证程序。", f"{CF}第四十四条;{CF}第五十六条;{CF}第五十八条;{CF}第六十三条", "illegal_building", "案例、违法建设"),
    ("案例分析", f"{U}/案例分析",
     "渣土运输执法中队夜间检查中发现一辆渣土车未密闭运输,沿途遗撒渣土约50米。驾驶员称车辆属于某运输公司。请说明本案的处罚对象如何确定、"
     "应收集哪些证据,以及执法人员如何规范使用执法记录仪。",
     [], "处罚对象:运输单位(查明车辆所有人、运输合同、核准手续);证据:现场照片视频、遗撒长度测量、驾驶员询问笔录、车辆行驶证、运输处置核准文件;"
     "执法记录仪:到达现场即开启,全程不间断,告知当事人正在录音录像,及时上传存储。",
     10, 4, "考查渣土运输违法的责任主体与全过程记录。", f"{CF}第四十七条", "muck_transport", "案例、渣土运输"),
    ("案例分析", f"{U}/案例分析",
     "协管员小李在巡查中发现一处流动摊贩,未等执法人员到场即扣押了摊贩的三轮车和货物。请指出小李做法存在的问题,并说明正确的处置方式。",
     [], "问题:协管员无执法权,不得实施扣押等行政强制措施;扣押须由执法人员依法定程序实施。正确做法:劝阻、记录、报告,由两名以上执法人员到场,"
     "出示证件、调查取证,确需采取强制措施的依照行政强制法的程序实施并出具清单。",
     8, 3, "考查协管人员的职责边界。", f"{GL}", "street_vending", "案例、协管员"),
    ("案例分析", f"{U}/案例分析",
     "某餐馆被居民多次投诉油烟扰民。执法人员检查发现其油烟净化设施已安装但长期未开启。经营者辩称不知道需要开启。请分析该辩解能否成立,应如何处理。",
     [], "辩解不能成立:经营者负有依法使用净化设施的义务,“不知道”不属于有证据足以证明没有主观过错;应责令改正,依照大气污染防治有关规定处罚;"
     "处罚前告知权利,听取陈述申辩并记录复核。",
     8, 3, "考查主观过错的举证与处罚告知。", f"{CF}第三十三条;{CF}第四十四条", "cooking_fumes", "案例、餐饮油烟"),
]


def _demo_author() -> User | None:
    return User.objects.filter(username="trainer01").first()


def seed_exams() -> dict:
    parsed = ParseResult()
    for number, (kind, category, stem, options, answer, points, difficulty, explanation, laws, violation, tags) in enumerate(
        BANK, start=1
    ):
        values = {
            "kind": kind, "stem": stem, "answer": answer, "points": points, "difficulty": difficulty,
            "explanation": explanation, "law_refs": laws, "violation_category": violation, "category": category,
            "tags": tags, "scoring_mode": "按选项给分" if kind == "多选" and number % 2 else "全对得分",
        }
        question, errors = question_from_values(values, [("ABCDEF"[i], t) for i, t in enumerate(options)], number)
        if errors:
            raise ValueError("; ".join(str(e) for e in errors))
        parsed.questions.append(question)
    report = services.questions_import(parsed=parsed, actor=_demo_author(), source="demo")
    papers_and_exams = seed_papers_and_exams()
    return {"created": len(report.created), "total": len(BANK), **papers_and_exams}


# --- papers and exams ------------------------------------------------------------------------------------

ANNUAL = "2026年度行政执法人员学法考试"
QUALIFICATION = "行政执法资格考试(新招录人员)"
QUIZ = "《行政处罚法》简易程序课程测验"
PRACTICE = "学法考试模拟练习"
CLOSED = "2026年上半年执法规范专题考试"
RESULTS_FOR = 30  # officers with graded results in the closed exam


def _category(path: str):
    from exams.models import QuestionCategory

    return QuestionCategory.objects.get(full_path=path)


def _paper(title: str, *, mode: str, author, rules=(), questions=(), shuffle_questions=True):
    """The paper of that title, built once through the authoring services."""
    from exams.models import Paper
    from exams.services import papers

    paper = Paper.objects.filter(title=title).first()
    if paper is not None:
        return paper
    paper = papers.paper_create(
        actor=author, title=title, mode=mode, shuffle_questions=shuffle_questions, shuffle_options=True
    )
    for kind, category, count, points in rules:
        papers.paper_rule_add(
            paper=paper, actor=author, kind=kind, category=_category(category) if category else None,
            count=count, points_each=Decimal(points),
        )
    for question in questions:
        papers.paper_item_add(paper=paper, question=question, actor=author)
    return paper


def _exam(title: str, *, paper, author, publish_at, units=(), role_categories=(), **fields):
    from exams.models import Exam
    from exams.services import exams

    exam = Exam.objects.filter(title=title).first()
    if exam is not None:
        return exam, False
    exam = exams.exam_create(
        actor=author, paper=paper, title=title, units=list(units), role_categories=list(role_categories), **fields
    )
    return exams.exam_publish(exam=exam, actor=author, now=publish_at), True


def _pick(kind: str, prefix: str, n: int):
    from exams.models import Question

    return list(
        Question.objects.filter(kind=kind, status=Question.Status.ACTIVE, category__full_path__startswith=prefix)
        .order_by("pk")[:n]
    )


def _answer(content: dict, right: bool, rng: random.Random):
    kind = content["kind"]
    keys = [o["key"] for o in content["options"]]
    correct = [o["key"] for o in content["options"] if o["correct"]]
    if kind == "single":
        return correct[0] if right else rng.choice([k for k in keys if k not in correct])
    if kind == "multiple":
        return correct if right else correct[:1]
    if kind == "true_false":
        return content["answer_bool"] if right else not content["answer_bool"]
    if kind == "blank":
        return content["accepted"][0] if right else "不清楚"
    return "依法责令改正,告知当事人陈述申辩权利。"


def _seed_results(exam, *, officers, now_base: dt.datetime) -> int:
    """Graded sittings of a closed exam, taken through the attempts engine at times inside its window."""
    from exams.models import Attempt
    from exams.services import attempts

    if Attempt.objects.filter(exam=exam).exists():
        return 0
    rng = random.Random(2026)
    for number, officer in enumerate(officers):
        start = now_base + dt.timedelta(minutes=7 * number)
        attempt = attempts.attempt_start(exam=exam, officer=officer, now=start)
        skill = rng.uniform(0.45, 0.98)
        answers = [
            attempts.AnswerIn(item_id=item.pk, seq=1, response=_answer(item.content, rng.random() < skill, rng))
            for item in attempt.items.all()
        ]
        attempts.attempt_submit(attempt=attempt, answers=answers, now=start + dt.timedelta(minutes=25))
    return len(officers)


def seed_papers_and_exams() -> dict:
    """Papers and exams of the demo bureau: the annual law exam open now for the whole bureau, a qualification
    exam for new recruits coming up, a course quiz and a mock exam always open, and a closed exam with graded
    results. Idempotent: papers and exams are keyed by title."""
    from django.utils import timezone

    from exams.models import Exam, Paper
    from org.models import Officer, RoleCategory, Unit

    author = _demo_author()
    from demo.org_seed import BUREAU

    bureau = Unit.objects.filter(full_path=BUREAU).first()
    if author is None or bureau is None:
        return {"exams": 0, "results": 0}
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)

    year = today.year
    year_end = at(dt.date(year, 12, 31), 23, 59)
    if year_end < now + dt.timedelta(days=7):
        year_end = now + dt.timedelta(days=40)
    annual_paper = _paper(
        "2026年度学法考试试卷(随机抽题)", mode=Paper.Mode.DRAW, author=author,
        rules=[("single", "", 12, 2), ("multiple", "", 8, 4), ("true_false", "", 15, 2), ("blank", "", 7, 2)],
    )
    qualification_paper = _paper(
        "行政执法资格考试试卷(A卷)", mode=Paper.Mode.FIXED, author=author, shuffle_questions=False,
        questions=[*_pick("single", "", 10), *_pick("multiple", "", 6), *_pick("true_false", "", 10),
                   *_pick("case", "", 2)],
    )
    quiz_paper = _paper(
        "简易程序课程测验卷", mode=Paper.Mode.FIXED, author=author,
        questions=[*_pick("single", "行政处罚法/简易程序", 3), *_pick("multiple", "行政处罚法/简易程序", 2),
                   *_pick("true_false", "行政处罚法/简易程序", 2), *_pick("blank", "行政处罚法/简易程序", 1)],
    )
    practice_paper = _paper(
        "学法考试模拟卷(随机抽题)", mode=Paper.Mode.DRAW, author=author,
        rules=[("single", "", 5, 4), ("true_false", "", 10, 4), ("multiple", "", 5, 8)],
    )
    closed_paper = _paper(
        "执法规范专题考试卷", mode=Paper.Mode.FIXED, author=author,
        questions=[*_pick("single", "城市管理执法", 4), *_pick("multiple", "城市管理执法", 4),
                   *_pick("true_false", "城市管理执法", 5), *_pick("single", "行政处罚法/普通程序", 3)],
    )
    recruits = RoleCategory.objects.filter(code="recruit")
    published = 0
    common = dict(show_score="submit", show_answers="close", show_explanations="close")
    instructions = _("请在规定时间内独立完成。开始后计时不暂停,答案自动保存,到时自动交卷。")
    _e, new = _exam(
        ANNUAL, paper=annual_paper, author=author, publish_at=now, units=[bureau], kind=Exam.Kind.ANNUAL,
        year=year, opens_at=min(at(today - dt.timedelta(days=20)), now - dt.timedelta(hours=1)), closes_at=year_end,
        duration_minutes=90, attempts_allowed=2, pass_score=Decimal(60), makeup_attempts=1,
        credit_category="law_exam", credit_hours=Decimal(40), instructions=instructions, **common,
    )
    published += new
    _e, new = _exam(
        QUALIFICATION, paper=qualification_paper, author=author, publish_at=now, units=[bureau],
        role_categories=recruits, kind=Exam.Kind.QUALIFICATION, year=year,
        opens_at=at(today + dt.timedelta(days=14), 9), closes_at=at(today + dt.timedelta(days=14), 12),
        duration_minutes=120, attempts_allowed=1, pass_score=_pass_mark(qualification_paper), instructions=instructions,
        show_score="close", show_answers="never", show_explanations="never", double_marking=True,
    )
    published += new
    always = dict(opens_at=at(dt.date(year, 1, 1)), closes_at=at(dt.date(year + 1, 12, 31), 23, 59))
    _e, new = _exam(
        QUIZ, paper=quiz_paper, author=author, publish_at=now, units=[bureau], kind=Exam.Kind.QUIZ, year=year,
        duration_minutes=20, attempts_allowed=3, pass_score=_pass_mark(quiz_paper), show_score="submit", show_answers="submit",
        show_explanations="submit", **always,
    )
    published += new
    _e, new = _exam(
        PRACTICE, paper=practice_paper, author=author, publish_at=now, units=[bureau], kind=Exam.Kind.PRACTICE,
        year=year, duration_minutes=45, attempts_allowed=50, pass_score=Decimal(60), show_score="submit",
        show_answers="submit", show_explanations="submit", one_question_per_page=False, **always,
    )
    published += new
    closed_opens = at(dt.date(year, 6, 10), 9) if today > dt.date(year, 7, 1) else now - dt.timedelta(days=30)
    closed, new = _exam(
        CLOSED, paper=closed_paper, author=author, publish_at=closed_opens - dt.timedelta(days=3), units=[bureau],
        kind=Exam.Kind.QUIZ, year=year, opens_at=closed_opens, closes_at=closed_opens + dt.timedelta(days=5),
        duration_minutes=60, attempts_allowed=1, pass_score=_pass_mark(closed_paper),
        show_score="submit", show_answers="close", show_explanations="close",
    )
    published += new
    takers = list(
        Officer.objects.filter(status=Officer.Status.ACTIVE, unit__path__startswith=bureau.path)
        .exclude(employee_no__in=["hr01", "trainer01", "leader01"])
        .order_by("employee_no")[: RESULTS_FOR * 4 : 4]
    )
    results = _seed_results(closed, officers=takers, now_base=closed_opens + dt.timedelta(hours=1))
    return {"exams": published, "results": results}


def _pass_mark(paper) -> Decimal:
    """60% of the paper's total, the bureaus' usual pass mark."""
    from exams.services.papers import paper_check

    return (paper_check(paper=paper).total_points * Decimal("0.6")).quantize(Decimal("1"))
