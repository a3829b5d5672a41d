"""Region resolution on the ways real county and city pages name (or hide) their region.

Short texts written for these tests; place names are facts. Classes (issue 16): a full name
that is there must be taken; short or indirect names made certain by their context; the wrong
mention (a cited document, the hosting site, a district's schools, a province as the setting)
must not win; ambiguity gives no region.
"""
import pytest

from junheng.document import Region
from junheng.regions import lookup, resolve

# ------------------------------------------------------------------ a full name that is there


@pytest.mark.parametrize("text, code", [
    # the county, its 区委 and honours in quotes naming the province
    ("2021年，天宁区教育局围绕立德树人开展工作。天宁区获评“江苏省义务教育优质均衡发展区”"
     "“江苏省学前教育示范区”，配合区委完成巡察。\n天宁区全年新建学校2所。", "320402"),
    # 国字号 is a word of the body, not a page's 字号 control
    ("署名\n走进泸溪县教育和体育局，墙上挂满了“国字号”“省字号”奖牌。全县新建学校3所。", "433122"),
    # a page flattened into one line: its navigation does not hide the article around it
    ("关于均衡编班\n" + "首页 网站地图 注册 登陆 当前位置 ：首页 >> 正文 奉贤区推进义务教育均衡发展工作自评报告 "
     "作者:奉贤教育局 发布日期:2013-9-9 奉贤地处杭州湾北岸，全区有小学34所，初中11所。" * 2, "310120"),
    # one full name in the body, and the text speaks of itself as a county
    ("四、推动特殊教育发展\n依托平和县特殊教育资源中心开展送教上门，全县普惠性幼儿园覆盖率达到90%。",
     "350628"),
    ("为推进零陵区教育为民办实事工作，我区在区委、区政府领导下认真自查，现将情况报告如下。", "431102"),
])
def test_a_full_name_that_is_there_is_taken(text, code):
    assert resolve(text).code == code


def test_a_disclosure_box_names_the_issuer():
    text = ("标题: | 全县义务教育优质均衡发展推进会召开 | ||\n发文日期: | 2025-01-07 | 发布机构: | "
            "沂源县人民政府办公室 |\n1月6日，全县推进会召开，县长出席并讲话。会议通报了我县存在的问题。")
    assert resolve(text).code == "370323"


# ------------------------------------------------------------------ short or indirect names


@pytest.mark.parametrize("text, code, mentioned_as", [
    ("我市中小学公用经费增加\n2011年莆田全市中小学公用经费总额为2亿元，全市小学标准提高100元。",
     "350300", "莆田"),
    ("城北教育园区投入使用\n我县在县城北侧规划教育园区，昌宁三中已投入使用。", "530524", "昌宁"),
    ("我县60所学校完成整改。县政府投入资金1.4亿元建设琼中县实验小学，我县办学条件明显改善。",
     "469030", "琼中县"),
    ("县教育局工作总结\n我县招聘教师50名，接收凤台籍在县外工作的教师20名回县任教。", "340421", "凤台"),
    ("城区学校招生计划\n城区小学招收30个班，其中青阳三小8个班，青阳四小6个班，青阳六中开始招生。",
     "341723", "青阳"),
    ("玉屏自治县教育工作总结\n全县有学校60所。", "520622", "玉屏自治县"),
])
def test_short_forms_made_certain_by_their_context(text, code, mentioned_as):
    region = resolve(text)
    assert (region.code, region.mentioned_as) == (code, mentioned_as)


@pytest.mark.parametrize("text, code", [
    # a city known only through the counties it lists
    ("近日，省财政厅下达我市投资1亿元，用于我市昭阳、巧家、盐津等6县（区）学校建设，"
     "以及我市镇雄、彝良、威信3县初中改造，改善我市农村学校条件。", "530600"),
    ("今年我市中考分四批录取。我市20所示范高中中，部分学校面向长安区、裕华区、桥东区招生，"
     "部分面向桥西区、新华区招生；石家庄实验中学面向全市招生。", "130100"),
    # a city and two of its districts named about as often
    ("南京市选择在秦淮区和江宁区开展试点。秦淮区面积最小，江宁区面积大。秦淮区没有农村学校，"
     "江宁区有农村学校。全市推广将不难。", "320100"),
])
def test_a_city_known_through_its_units(text, code):
    assert resolve(text).code == code


@pytest.mark.parametrize("name, code", [
    ("玉屏自治县", "520622"), ("湘西自治州", "433100"), ("海西州", "632800"), ("琼中", "469030"),
])
def test_autonomous_short_forms_come_from_the_data(name, code):
    assert [d.code for d in lookup(name)] == [code]


# ------------------------------------------------------------------ the wrong mention must not win


@pytest.mark.parametrize("text, title, code", [
    # documents cited in 《》 are not the subject
    ("根据《四川省教育厅关于做好招生工作的通知》和《广安市教育和体育局关于招生的通知》，结合邻水县实际，"
     "制定本方案。\n全县招生工作由县教育局统一组织。", None, "511623"),
    # the hosting site's breadcrumb and a mention of the city's government
    ("您当前的位置:安康市人民政府>媒体关注>正文内容\n宁陕跻身教育强县\n省督导团对宁陕县工作进行评估，"
     "该县顺利通过验收。安康市政府奖励宁陕县20万元。宁陕县累计投入资金1.5亿元。",
     "您当前的位置:安康市人民政府>媒体关注>正文内容", "610923"),
    # a city's news: the headline names the city, the body one district's schools
    ("银川将新建16所学校！\n3月18日，随着银川市兴庆区项目开工，兴庆区第三十三小学动工。"
     "兴庆区第十二小学扩建。兴庆区第二十小学新建。金凤区将新建11所学校。", "教育信息网_教育信息网", "640100"),
    # a province in a headline is the setting, the district the subject
    ("东昌府区发布招录计划\n东昌府区计划招录教师400人。东昌府区教体局负责组织。",
     "山东这一地发布招录计划", "371502"),
    # a municipal meeting held in a district, reported by the district
    ("重庆市质量监测反馈会在开州区召开\n重庆市监测中心专家解读了开州区的监测报告，肯定了我区学业水平。"
     "区政府督学参加会议。", "重庆市质量监测反馈会在开州区召开", "500154"),
])
def test_the_wrong_mention_does_not_win(text, title, code):
    assert resolve(text, title).code == code


# ------------------------------------------------------------------ ambiguity gives no region


@pytest.mark.parametrize("text", [
    # a short form once, with nothing to make it certain
    "我县组织教师到青阳学习。全县有学校50所。",
    # two counties named alike: no guess
    "我县与宝清县、饶河县开展交流。宝清县来我县考察，饶河县来我县考察。",
    # an everyday word that is also a short form, however often
    "新建学校3所，新建教学楼2栋，新建运动场1个。",
    # a listed school is no subject
    "此外，辛集中学、正定中学等学校面向农村招生。",
])
def test_ambiguity_gives_no_region(text):
    assert resolve(text) == Region()
