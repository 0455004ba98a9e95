"""Sample files in the three formats, written the way trainers and Moodle write them."""

MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/行政处罚法/简易程序</text></category>
  </question>
  <question type="multichoice">
    <name><text>备案期限</text></name>
    <questiontext format="html"><text><![CDATA[<p>当场作出行政处罚决定的,执法人员应当在<b>几日</b>内报所属行政机关备案?</p>]]></text></questiontext>
    <generalfeedback format="html"><text>依据行政处罚法第五十二条。</text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answer fraction="0"><text>三日</text></answer>
    <answer fraction="0"><text>五日</text></answer>
    <answer fraction="100"><text>七日</text></answer>
    <tags><tag><text>简易程序</text></tag><tag><text>难度:2</text></tag><tag><text>法条:《中华人民共和国行政处罚法》第五十二条</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>处罚种类</text></name>
    <questiontext format="html"><text>下列属于行政处罚种类的有:</text></questiontext>
    <defaultgrade>2</defaultgrade>
    <single>false</single>
    <answer fraction="50"><text>警告、通报批评</text></answer>
    <answer fraction="-50"><text>行政拘留以外的刑事拘留</text></answer>
    <answer fraction="50"><text>罚款、没收违法所得</text></answer>
  </question>
  <question type="category">
    <category><text>$course$/top/城市管理/市容环境</text></category>
  </question>
  <question type="truefalse">
    <name><text>判断1</text></name>
    <questiontext format="moodle_auto_format"><text>违法行为在二年内未被发现的,不再给予行政处罚,法律另有规定的除外。</text></questiontext>
    <defaultgrade>1</defaultgrade>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>填空1</text></name>
    <questiontext format="html"><text>当事人应当自收到罚款决定书之日起____日内,到指定的银行缴纳罚款。</text></questiontext>
    <defaultgrade>1.5</defaultgrade>
    <usecase>0</usecase>
    <answer fraction="100"><text>十五</text></answer>
    <answer fraction="100"><text>15</text></answer>
  </question>
  <question type="essay">
    <name><text>案例1</text></name>
    <questiontext format="html"><text>某商户占道经营,经责令改正拒不改正。请分析执法部门应如何处理。</text></questiontext>
    <defaultgrade>10</defaultgrade>
    <graderinfo format="html"><text>指出违法事实、法律依据、处罚程序。</text></graderinfo>
  </question>
  <question type="matching">
    <name><text>匹配题</text></name>
    <questiontext format="html"><text>请将违法行为与处罚依据配对。</text></questiontext>
  </question>
  <question type="numerical">
    <name><text>数值题</text></name>
    <questiontext format="html"><text>罚款上限是多少元?</text></questiontext>
    <answer fraction="100"><text>200</text></answer>
  </question>
</quiz>
""".encode()

GIFT = """// 行政处罚法练习题
$CATEGORY: $course$/top/行政处罚法/简易程序

// [tag:简易程序]
::备案期限::当场作出行政处罚决定的,执法人员应当在几日内报所属行政机关备案? {
  ~三日
  ~五日
  =七日 # 正确
  ####依据行政处罚法第五十二条\\: 应当报所属行政机关备案。
}

下列属于行政处罚种类的有\\: {
  ~%50%警告、通报批评
  ~%-50%刑事拘留
  ~%50%罚款、没收违法所得
}

$CATEGORY: $course$/top/城市管理/市容环境

违法行为在二年内未被发现的,不再给予行政处罚。{T}

当事人应当自收到罚款决定书之日起 {=十五 =15} 日内缴纳罚款。

某商户占道经营,经责令改正拒不改正。请分析执法部门应如何处理。{}

将违法行为与依据配对。{ =占道经营 -> 第十七条 =乱张贴 -> 第十七条 }

罚款上限是多少元? {#200}
""".encode()
