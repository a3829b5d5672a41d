"""The gazetteer (pipeline/data/*.tsv) and junheng.regions: lookup, resolve, filters."""
import csv
import time
from pathlib import Path

import pytest

from junheng.document import Region
from junheng.regions import RegionNotFound, codes_for_filter, gazetteer, lookup, resolve

DATA = Path(__file__).resolve().parent.parent / "pipeline" / "data"


def _tsv(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# ------------------------------------------------------------------ the data


def test_divisions_table_is_complete_and_consistent():
    rows = _tsv("divisions.tsv")
    levels = {level: sum(r["level"] == level for r in rows) for level in ("province", "city", "county")}
    assert levels["province"] == 34 and levels["city"] >= 330 and levels["county"] >= 2840
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows)
    for row in rows:
        assert len(row["code"]) == 6 and row["code"].isdigit()
        assert row["province_code"] == row["code"][:2] + "0000"
        assert (row["parent_code"] == "") == (row["level"] == "province")
        assert not row["parent_code"] or row["parent_code"] in codes


def test_renames_point_at_current_units():
    rows = _tsv("renames.tsv")
    assert len(rows) >= 100
    units = gazetteer().by_code
    for row in rows:
        assert units[row["new_code"]].name == row["new_name"]
        assert 2013 <= int(row["year"]) <= 2025 and "民政部" in row["source"]


# ------------------------------------------------------------------ lookup


@pytest.mark.parametrize("name, codes", [
    ("七台河市", ["230900"]),
    ("七台河", ["230900"]),
    ("230900", ["230900"]),
    ("海西州", ["632800"]),
    ("海西", ["632800"]),
    ("黔东南州", ["522600"]),
    ("恩施州", ["422800"]),
    ("融水县", ["450225"]),
    ("琼中县", ["469030"]),
    ("科右前旗", ["152221"]),
    ("黑龙江", ["230000"]),
    ("乐山市夹江县", ["511126"]),
    ("哈尔滨市阿城区", ["230112"]),
    ("郫县", ["510117"]),
    ("510124", ["510117"]),  # an old code
    ("湟中县", ["630106"]),
    ("朝阳区", ["110105", "220104"]),
    ("火星市", []),
])
def test_lookup(name, codes):
    assert [d.code for d in lookup(name)] == codes


def test_division_names():
    (jiajiang,) = lookup("夹江县")
    assert (jiajiang.province_name, jiajiang.city_name, jiajiang.county_name) == ("四川省", "乐山市", "夹江县")
    (chaoyang,) = lookup("北京市朝阳区")
    assert (chaoyang.province_name, chaoyang.city_name, chaoyang.parent_code) == ("北京市", "北京市", "110000")
    (qiongzhong,) = lookup("469030")
    assert (qiongzhong.city_name, qiongzhong.parent_code) == (None, "460000")
    assert [u.code for u in lookup("神农架林区")[0].chain()] == ["420000", "429021"]


# ------------------------------------------------------------------ resolve

QITAIHE = ("七台河市城乡义务教育一体化改革发展工作调研报告\n\n七台河市位于黑龙江省东部，辖勃利县、新兴区、"
           "桃山区、茄子河区。近年来，七台河市坚持教育优先发展。勃利县新建学校3所。\n七台河市教育局\n2019年4月4日")
JIAJIANG = ("夹江县义务教育发展基本均衡县自评报告\n\n夹江县位于乐山市北部。全县有学校50所。乐山市教育局督导组"
            "来县指导。组织校长赴浙江省安吉县考察学习，借鉴安吉县经验。\n夹江县人民政府\n2015年5月1日")


@pytest.mark.parametrize("text, code, level, mentioned_as", [
    (QITAIHE, "230900", "city", "七台河市"),
    (JIAJIANG, "511126", "county", "夹江县"),
    ("北票市推进义务教育优质均衡发展工作规划\n北票市隶属朝阳市。", "211381", "county", "北票市"),
    ("海西州推进义务教育均衡发展情况汇报\n海西州辖格尔木市、德令哈市、乌兰县。", "632800", "city", "海西州"),
    ("阿城区教育工作总结\n哈尔滨市阿城区位于哈尔滨市东南部。", "230112", "county", "阿城区"),
    ("关于长春市朝阳区义务教育优质均衡发展情况的调研报告", "220104", "county", "朝阳区"),
    ("北京市朝阳区教育委员会工作要点", "110105", "county", "朝阳区"),
    ("郫县义务教育发展基本均衡县自评报告\n郫县地处成都平原腹心。", "510117", "county", "郫县"),
    ("湟中县教育局2018年工作总结\n湟中县位于西宁市西南。", "630106", "county", "湟中县"),
    ("鄂尔多斯市准旗教育局工作总结", "150622", "county", "准旗"),
    ("闵行区教育工作总结。闵行现有学校158所。", "310112", "county", "闵行区"),
])
def test_resolve_examples(text, code, level, mentioned_as):
    region = resolve(text)
    assert (region.code, region.level, region.mentioned_as) == (code, level, mentioned_as)


def test_resolve_fills_every_name():
    assert resolve(QITAIHE) == Region("黑龙江省", "七台河市", None, "230900", "city", "七台河市")
    assert resolve("北京市朝阳区教育委员会") == Region("北京市", "北京市", "朝阳区", "110105", "county", "朝阳区")
    assert resolve("琼中县教育局", "琼中县义务教育工作总结") == Region(
        "海南省", None, "琼中黎族苗族自治县", "469030", "county", "琼中县")


# Each name that several units share, with the province or city that picks one.
@pytest.mark.parametrize("text, code", [
    ("长春市朝阳区教育局工作总结", "220104"),
    ("朝阳区教育工作总结。朝阳区位于吉林省长春市。", "220104"),
    ("朝阳区教育工作总结。朝阳区是北京市的中心城区。", "110105"),
    ("兰州市城关区教育局工作总结。城关区有学校。", "620102"),
    ("拉萨市城关区教育局工作总结。城关区有学校。", "540102"),
    ("和平区教育局工作总结。和平区位于天津市中心。", "120101"),
    ("沈阳市和平区义务教育均衡发展", "210102"),
    ("沈阳市铁西区教育局。铁西区有学校。", "210106"),
    ("鞍山市铁西区教育局", "210303"),
    ("四平市铁西区教育局", "220302"),
    ("东兴区教育局工作总结。东兴区位于内江市。", "511011"),
    ("东兴市教育局工作总结", "450681"),
    ("永宁县教育局工作总结。永宁县隶属银川市。", "640121"),
    ("南京市鼓楼区教育局", "320106"),
    ("徐州市鼓楼区教育局", "320302"),
    ("开封市鼓楼区教育局", "410204"),
    ("福州市鼓楼区教育局", "350102"),
    ("济南市市中区教育局", "370103"),
    ("乐山市市中区教育局", "511102"),
    ("阳泉市城区教育局", "140302"),
    ("佳木斯市郊区教育局", "230811"),
    ("西安市新城区教育局", "610102"),
    ("新城区教育局工作总结。新城区位于呼和浩特市。", "150102"),
    ("西宁市城中区教育局", "630103"),
    ("上海市普陀区教育局", "310107"),
    ("舟山市普陀区教育局", "330903"),
    ("北京市通州区教育委员会", "110112"),
    ("南通市通州区教育局", "320612"),
    ("广州市白云区教育局", "440111"),
    ("贵阳市白云区教育局", "520113"),
])
def test_ambiguous_names_follow_their_context(text, code):
    assert resolve(text).code == code


@pytest.mark.parametrize("name", ["朝阳区", "城关区", "和平区", "铁西区", "鼓楼区", "新华区", "通州区",
                                  "市中区", "城区", "普陀区", "白云区"])
def test_ambiguous_name_alone_is_empty(name):
    assert resolve(f"{name}教育局工作总结\n{name}共有学校30所。{name}教育局") == Region()


@pytest.mark.parametrize("text, code, mentioned_as", [
    ("郫县义务教育发展基本均衡县自评报告", "510117", "郫县"),
    ("湟中县教育局工作总结", "630106", "湟中县"),
    ("成都市郫县教育局", "510117", "郫县"),
    ("双流县教育局2014年工作总结", "510116", "双流县"),
    ("邢台市桥东区教育局工作总结", "130502", "桥东区"),
    ("张家口市桥东区教育局工作总结", "130702", "桥东区"),
    ("重庆市江北区教育委员会", "500157", "江北区"),
    ("宁波市江北区教育局", "330205", "江北区"),
    ("闸北区教育局工作总结。", "310106", "闸北区"),
    ("邢台县教育局工作总结", "130500", "邢台县"),  # split among districts: the city
])
def test_old_names_land_on_current_units(text, code, mentioned_as):
    region = resolve(text)
    assert (region.code, region.mentioned_as) == (code, mentioned_as)


@pytest.mark.parametrize("text", [
    "",
    "关于进一步加强义务教育学校管理的通知\n各学校：为进一步规范办学行为，现就有关事项通知如下。",
    "创建义务教育发展基本均衡示范县，新建学校三所，优化教育资源配置，新增城区学位800个。",
    "中华人民共和国义务教育法规定，全县各学校要会同县财政局做好东方市场周边学校的安全工作。",
])
def test_text_without_a_region_is_empty(text):
    assert resolve(text) == Region()


@pytest.mark.parametrize("text, title, issuer, code", [
    # a delegation, a study visit, a list of other counties, a footer: never the subject
    ("今年我县组织校长赴浙江省安吉县考察学习，借鉴安吉县经验。全县有学校50所。", None, None, None),
    ("我县教育工作总结。与会代表来自宝清县、饶河县、集贤县等县。", None, None, None),
    ("关于做好秋季开学工作的通知\n各学校：请做好开学准备。\n\n主办：七台河市教育局 版权所有\n地址：七台河市桃山区",
     None, None, None),
    (JIAJIANG, None, None, "511126"),
    ("全县有学校50所。宝清县考察团来我县交流。", "夹江县教育工作总结", None, "511126"),
    ("全县有学校50所。", "关于全县义务教育均衡发展工作情况的调研报告", "金寨县人大常委会调研组", "341524"),
])
def test_passing_mentions_do_not_win(text, title, issuer, code):
    assert resolve(text, title, issuer).code == code


def test_resolve_is_fast():
    text = ("夹江县位于乐山市北部，全县有学校50所，教师3000人，大班额由53个减少到15个。" * 300)[:10000]
    resolve(text)
    start = time.perf_counter()
    for _ in range(10):
        assert resolve(text, "夹江县义务教育工作总结", "夹江县教育局").code == "511126"
    assert (time.perf_counter() - start) / 10 < 0.05


# ------------------------------------------------------------------ --region filters


@pytest.mark.parametrize("value, inside, outside", [
    ("黑龙江", ["230000", "230900", "230921", "230112"], ["220104"]),
    ("黑龙江省", ["230900"], ["110105"]),
    ("七台河", ["230900", "230921", "230902"], ["230100", "230000"]),
    ("230900", ["230900", "230904"], ["230112"]),
    ("海西州", ["632800", "632801", "632803"], ["630106"]),
    ("北京", ["110000", "110105"], ["220104"]),
    ("夹江县", ["511126"], ["511100"]),
    ("郫县", ["510117"], ["510100"]),
])
def test_codes_for_filter(value, inside, outside):
    codes = codes_for_filter(value)
    assert set(inside) <= set(codes) and not set(outside) & set(codes)


def test_codes_for_filter_counts():
    assert len(codes_for_filter("七台河市")) == 5  # the city and its four county-level units
    assert codes_for_filter("夹江县") == ["511126"]


@pytest.mark.parametrize("value", ["火星市", "不存在县", "999999", ""])
def test_codes_for_filter_unknown(value):
    with pytest.raises(RegionNotFound, match="no region matches") as caught:
        codes_for_filter(value)
    assert isinstance(caught.value, ValueError) and repr(value) in str(caught.value)
