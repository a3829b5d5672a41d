"""Site chrome for the HTML renderings: menus, breadcrumbs, side-column titles, footer facts.

Everything here is noise the ingest side must strip. The side-column titles are loud on
purpose: other counties, figures, and policy terms (县管校聘, 控辍保学, 大班额, 集团化办学).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from render_model import Report, Site, iso_date, place_of, rng_for, stable_int

GOV_MENU = ["首页", "政务公开", "新闻中心", "政务服务", "互动交流", "{visit}", "专题专栏"]
EDU_MENU = ["首页", "教育动态", "通知公告", "政务公开", "政策法规", "教育督导", "党建园地", "办事指南"]

COLUMNS = {
    "self_assessment": ["政务公开", "教育督导"],
    "rectification_report": ["政务公开", "督导整改"],
    "plan": ["政务公开", "规划计划"],
    "notice": ["政务公开", "政策文件"],
    "news": ["新闻中心", "部门动态"],
    "research_report": ["政务公开", "调查研究"],
    "work_summary": ["政务公开", "工作总结"],
}
DEFAULT_COLUMN = ["政务公开", "教育信息"]

NEWS_TITLES = [
    "平遥县召开县管校聘管理改革推进会",
    "寿光市扎实推进控辍保学 确保适龄儿童少年应学尽学",
    "正定县多措并举化解城区学校大班额问题",
    "滦平县投入1.2亿元新建改扩建农村学校23所",
    "巴彦县集团化办学覆盖全县85%的义务教育学校",
    "德惠市开展义务教育优质均衡发展创建工作督导检查",
    "临朐县推进县管校聘改革 交流轮岗教师326人",
    "关于做好2023年秋季学期控辍保学工作的通知",
    "我县召开义务教育优质均衡发展创建工作推进会",
    "全县中小学校园安全隐患排查整治工作部署会召开",
    "市教育局关于公布义务教育阶段学校招生入学政策的通知",
    "关于开展“双减”工作专项督导的通知",
    "我市12所学校入选省级集团化办学示范校",
    "县政府召开常务会议专题研究教师队伍建设工作",
    "桐乡市消除56人以上大班额 小学平均班额降至42人",
    "汶上县乡村教师生活补助标准提高到每月800元",
    "宁乡市城乡教育共同体建设经验在全省推广",
    "兴国县营养改善计划惠及农村学生4.3万人",
    "仁寿县特殊教育资源中心揭牌 残疾儿童入学率达97%",
    "县人大常委会视察义务教育均衡发展工作",
    "关于公布县管校聘改革试点县（市、区）名单的通知",
    "省督导组反馈义务教育发展基本均衡县督导评估意见",
    "蒲城县学区制管理改革让农村孩子就近上好学",
    "清河县“控辍保学”联保联控责任制落实情况通报",
    "教育局召开2024年党风廉政建设工作会议",
    "麒麟区推行大学区制 名校带弱校实现全覆盖",
    "关于印发《县域义务教育优质均衡发展督导评估办法》的通知",
    "全市教育系统安全生产工作视频会议召开",
]
SPECIAL_COLUMNS = [
    "义务教育优质均衡发展专栏", "学习贯彻党的二十大精神", "“双减”工作专栏",
    "扫黑除恶专项斗争", "政府信息公开年报", "优化营商环境", "创建全国文明城市",
    "学前教育普及普惠专栏", "乡村振兴专栏", "党风廉政建设", "平安校园建设", "政策解读",
]
# Terms that date a title: a page must not link to news from after its own date.
TERM_YEARS = {"双减": 2021, "二十大": 2022, "优质均衡": 2017, "乡村振兴": 2018,
              "营商环境": 2018, "普及普惠": 2018, "扫黑除恶": 2018, "县管校聘": 2015}
MUNICIPAL_AREA_CODES = {"11": "010", "12": "022", "31": "021", "50": "023"}
PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}


@dataclass
class Link:
    title: str
    date: str | None = None


@dataclass
class Chrome:
    """Everything around the article for one page."""

    site: str
    menu: list[str]
    crumbs: list[str]
    pub_time: str | None  # "YYYY-MM-DD HH:MM"
    source: str
    views: int
    related: list[Link]
    hot: list[Link]
    specials: list[str]
    prev_title: str
    next_title: str
    host: str
    icp: str
    site_code: str
    police: str
    phone: str
    domain: str


ORG_ENDINGS = ("政府", "局", "委", "厅", "中心", "办公室", "委员会")


def host_org(site_name: str) -> str:
    """The organisation behind a site: 宝清县人民政府网 → 宝清县人民政府."""
    for suffix in ("门户网站", "政务网", "信息网", "网站", "网"):
        org = site_name[: -len(suffix)]
        if site_name.endswith(suffix) and org.endswith(ORG_ENDINGS):
            return org
    place = place_of(site_name)
    return f"{place}教育局" if place and "教育" in site_name else site_name


LOCAL_UNIT_RE = re.compile(r"([^省市州盟]{2,}?)(?:[\u4e00-\u9fff]{1,3}族)*"
                           r"(自治县|自治旗|自治州|县|区|市|旗|盟|州)$")


def visit_item(site_name: str) -> str:
    """The 走进XX menu item: 北京市朝阳区人民政府 → 走进朝阳; else 县情概况 / 旗情概况 …"""
    head = re.split(r"人民政府|教育|政府|门户|信息|网", site_name)[0]
    match = LOCAL_UNIT_RE.search(head)
    if not match:
        return "县情概况"
    stem, unit = match.groups()
    return f"走进{stem}" if 2 <= len(stem) <= 3 else f"{unit[-1]}情概况"


def menu_for(site_name: str) -> list[str]:
    if "教育" in site_name:
        return list(EDU_MENU)
    return [visit_item(site_name) if item == "{visit}" else item for item in GOV_MENU]


def crumbs_for(report: Report, site_name: str) -> list[str]:
    columns = list(COLUMNS.get(report.doc_type or "", DEFAULT_COLUMN))
    if "教育" in site_name and columns[0] == "新闻中心":
        columns[0] = "教育动态"
    return ["首页", *columns, "正文"]


def earliest_year(title: str) -> int:
    years = [year for term, year in TERM_YEARS.items() if term in title]
    years += [int(y) for y in re.findall(r"(20\d\d)年", title)]
    return max(years, default=2000)


def fits_date(title: str, published: dt.date | None) -> bool:
    return published is None or earliest_year(title) <= published.year


def pick_links(report: Report, site: Site, count: int, purpose: str,
               published: dt.date | None) -> list[Link]:
    """Side-column titles that do not mention the report's own place."""
    own = (report.region_name or "")[:2]
    pool = [t for t in NEWS_TITLES if (not own or own not in t) and fits_date(t, published)]
    rng = rng_for(report.slug, site.name, purpose)
    titles = rng.sample(pool, min(count, len(pool)))
    links = []
    for title in titles:
        date = None
        if published:
            date = (published - dt.timedelta(days=rng.randint(0, 60))).isoformat()
        links.append(Link(title, date))
    return links


def site_facts(report: Report, site: Site) -> dict:
    """ICP number, 网站标识码, 公安备案号, phone and domain, stable per site."""
    rng = rng_for(site.name, "facts")
    code = report.region_code or f"{rng.choice(list(PROVINCE_ABBR))}{rng.randint(1000, 9999)}"
    abbr = PROVINCE_ABBR.get(code[:2], "京")
    area_code = MUNICIPAL_AREA_CODES.get(code[:2], f"0{rng.randint(310, 997)}")
    digits = 8 if code[:2] in MUNICIPAL_AREA_CODES else 7
    return {
        "icp": f"{abbr}ICP备{rng.randint(5000000, 19999999):08d}号-{rng.randint(1, 3)}",
        "site_code": f"{code}{rng.randint(1, 60):04d}",
        "police": f"{abbr}公网安备 {code}{rng.randint(2000000, 2099999):08d}号",
        "phone": f"{area_code}-{rng.randint(10 ** (digits - 1) * 2, 10 ** digits - 1)}",
        "domain": f"www.{'jyj.' if '教育' in site.name else ''}"
                  f"{''.join(rng.choice('abcdefghjklmnpqrstwxyz') for _ in range(6))}.gov.cn",
    }


def build_chrome(report: Report, site: Site, known_date: bool = True) -> Chrome:
    rng = rng_for(report.slug, site.name, "chrome")
    published = iso_date(site.published) or report.published
    published = published if known_date else None
    pub_time = None
    if published:
        pub_time = f"{published.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    n_related, n_hot = rng.randint(4, 6), rng.randint(3, 4)
    links = pick_links(report, site, n_related + n_hot + 2, "links", published)
    related, hot, neighbours = links[:n_related], links[n_related:-2], links[-2:]
    return Chrome(
        site=site.name, menu=menu_for(site.name), crumbs=crumbs_for(report, site.name),
        pub_time=pub_time, source=site.source or report.issuer or host_org(site.name),
        views=rng.randint(80, 9800), related=related, hot=hot,
        specials=rng.sample([s for s in SPECIAL_COLUMNS if fits_date(s, published)], 3),
        prev_title=neighbours[0].title, next_title=neighbours[-1].title,
        host=host_org(site.name), **site_facts(report, site))


def template_index(slug: str, site_name: str, count: int) -> int:
    return stable_int(slug, site_name, "template") % count
