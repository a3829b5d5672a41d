"""HTML renderings: a report dressed as a Chinese government website article page.

Three page templates (picked by a hash of slug + site name):
  0 `classic`  XHTML table layout (old TRS sites), http-equiv charset, side column on the left
  1 `modern`   HTML5 divs, <meta charset>, side column on the right, Word-pasted tables
  2 `xxgk`     政务公开 page: gov.cn meta tags, an info table (索引号 …), span-wrapped paragraphs
"""
from __future__ import annotations

from html import escape

from render_chrome import Chrome, Link, build_chrome, template_index
from render_model import Para, Report, Site, TableBlock, stable_int

TEMPLATE_NAMES = ["classic", "modern", "xxgk"]


def e(text: str) -> str:
    return escape(text, quote=True)


# ---------------------------------------------------------------- article bodies

def para_classic(p: Para) -> str:
    if p.kind == "signature":
        return f'<p style="text-align: right;">{e(p.text)}</p>'
    if p.kind == "caption":
        return f'<p style="text-align: center;"><strong>{e(p.text)}</strong></p>'
    if p.kind == "heading":
        return f'<p style="text-indent: 2em;"><strong>{e(p.text)}</strong></p>'
    return f'<p style="text-indent: 2em;">{e(p.text)}</p>'


def para_modern(p: Para) -> str:
    if p.kind == "signature":
        return f'<p align="right">{e(p.text)}</p>'
    if p.kind in ("caption", "unit"):
        return f'<p align="center">{e(p.text)}</p>'
    return f"<p>\u3000\u3000{e(p.text)}</p>"


def para_xxgk(p: Para) -> str:
    span = f'<span style="font-family: 仿宋_GB2312; font-size: 16px;">{e(p.text)}</span>'
    if p.kind == "signature":
        return f'<p style="text-align: right; line-height: 1.75em;">{span}</p>'
    if p.kind == "heading":
        span = f'<span style="font-family: 黑体; font-size: 16px;">{e(p.text)}</span>'
    return f'<p style="text-indent: 2em; line-height: 1.75em;">{span}</p>'


def table_classic(t: TableBlock) -> str:
    rows = []
    for i, row in enumerate(t.rows):
        cells = "".join(f"<td>{'<strong>' + e(c) + '</strong>' if i == 0 else e(c)}</td>"
                        for c in row)
        rows.append(f"<tr>{cells}</tr>")
    return ('<table border="1" cellspacing="0" cellpadding="4" width="100%" '
            'style="border-collapse: collapse;">\n' + "\n".join(rows) + "\n</table>")


def table_modern(t: TableBlock) -> str:
    rows = []
    for row in t.rows:
        cells = "".join(f'<td valign="center"><p align="center"><span>{e(c)}</span></p></td>'
                        for c in row)
        rows.append(f"<tr>{cells}</tr>")
    return ('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
            'align="center">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>")


def table_xxgk(t: TableBlock) -> str:
    head = "".join(f"<th>{e(c)}</th>" for c in t.rows[0])
    body = "\n".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                     for row in t.rows[1:])
    return (f'<table class="ke-zeroborder" border="1" width="96%">\n<thead><tr>{head}</tr>'
            f"</thead>\n<tbody>\n{body}\n</tbody>\n</table>")


BODY_STYLES = [(para_classic, table_classic), (para_modern, table_modern),
               (para_xxgk, table_xxgk)]


def article_body(report: Report, template: int) -> str:
    para, table = BODY_STYLES[template]
    return "\n".join(para(b) if isinstance(b, Para) else table(b) for b in report.blocks)


# ---------------------------------------------------------------- shared chrome pieces

def link_items(links: list[Link], with_dates: bool, first_id: int = 101) -> str:
    items = []
    for i, link in enumerate(links, start=first_id):
        date = f"<span>{link.date}</span>" if with_dates and link.date else ""
        items.append(f'<li><a href="/art/{i}.html" target="_blank" '
                     f'title="{e(link.title)}">{e(link.title)}</a>{date}</li>')
    return "\n".join(items)


def info_bar(c: Chrome, labels: tuple[str, str, str]) -> str:
    time_label, source_label, views_label = labels
    parts = [f"{time_label}：{c.pub_time}"] if c.pub_time else []
    parts += [f"{source_label}：{e(c.source)}", f"{views_label}：{c.views}",
              '字体：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">'
              '中</a> <a href="javascript:doZoom(14)">小</a>]']
    return "&nbsp;&nbsp;".join(parts)


def crumb_trail(c: Chrome, arrow: str) -> str:
    links = [f'<a href="/{i}/">{e(name)}</a>' for i, name in enumerate(c.crumbs[:-1])]
    return "当前位置：" + arrow.join(links + [c.crumbs[-1]])


def tools_and_neighbours(c: Chrome) -> str:
    return ('<div class="print">【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</div>\n'
            f'<div class="prevnext">上一篇：<a href="/art/98.html">{e(c.prev_title)}</a><br />\n'
            f'下一篇：<a href="/art/99.html">{e(c.next_title)}</a></div>')


def footer_lines(c: Chrome, year: str) -> str:
    return (f"主办单位：{e(c.host)}&nbsp;&nbsp;版权所有：{e(c.host)}&nbsp;&nbsp;"
            f"Copyright &copy; {year} All Rights Reserved<br />\n"
            f'<a href="https://beian.miit.gov.cn/" target="_blank">{c.icp}</a>&nbsp;&nbsp;'
            f"网站标识码：{c.site_code}&nbsp;&nbsp;{c.police}<br />\n"
            f"联系电话：{c.phone}&nbsp;&nbsp;建议使用1366×768分辨率及IE9以上浏览器浏览本站")


def jiucuo(c: Chrome) -> str:
    return (f"<script id=\"_jiucuo_\" sitecode='{c.site_code}' "
            "src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>")


ZOOM_SCRIPT = ("<script type=\"text/javascript\">function doZoom(size){"
               "document.getElementById('zoom').style.fontSize=size+'px';}</script>")


# ---------------------------------------------------------------- page templates

def pubdate_meta(c: Chrome, show: bool) -> str:
    return f'<meta name="PubDate" content="{c.pub_time}" />\n' if show and c.pub_time else ""


def page_classic(r: Report, c: Chrome, body: str, charset: str, show_pubdate: bool) -> str:
    nav = "".join(f'<td align="center" class="nav_td"><a href="/{i}/">{e(m)}</a></td>'
                  for i, m in enumerate(c.menu))
    side = (f'<div class="left_title">相关文章</div>\n<ul class="left_list">\n'
            f'{link_items(c.related, False)}\n</ul>\n'
            f'<div class="left_title">热点新闻</div>\n<ul class="left_list">\n'
            f'{link_items(c.hot, False, 201)}\n</ul>\n<div class="left_title">专题专栏</div>\n'
            + "".join(f'<div class="zt_item"><a href="/zt/{i}/">{e(s)}</a></div>\n'
                      for i, s in enumerate(c.specials)))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{e(r.title)}_{e(c.site)}</title>
{pubdate_meta(c, show_pubdate)}<meta name="keywords" content="{e(c.site)}" />
<link href="/images/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery-1.7.2.min.js"></script>
{ZOOM_SCRIPT}
</head>
<body>
<table width="1002" border="0" align="center" cellpadding="0" cellspacing="0" class="top_bg">
<tr><td height="118" class="logo"><h2>{e(c.site)}</h2></td>
<td class="top_right"><a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="#">无障碍浏览</a></td></tr>
</table>
<table width="1002" border="0" align="center" cellpadding="0" cellspacing="0" class="nav">
<tr>{nav}</tr>
</table>
<table width="1002" border="0" align="center" cellpadding="0" cellspacing="0">
<tr>
<td width="240" valign="top" class="left_box">
{side}</td>
<td width="20">&nbsp;</td>
<td valign="top">
<div class="dqwz">{crumb_trail(c, " &gt; ")}</div>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="article">
<tr><td align="center" class="bt_title"><h1>{e(r.title)}</h1></td></tr>
<tr><td align="center" class="bt_info">{info_bar(c, ("发布时间", "来源", "浏览次数"))}</td></tr>
<tr><td class="bt_content">
<div id="zoom" class="TRS_Editor">
{body}
</div>
</td></tr>
<tr><td>{tools_and_neighbours(c)}</td></tr>
</table>
</td>
</tr>
</table>
<table width="1002" border="0" align="center" cellpadding="0" cellspacing="0" class="foot">
<tr><td align="center">{footer_lines(c, (c.pub_time or "2024")[:4])}<br />
{jiucuo(c)}</td></tr>
</table>
</body>
</html>
"""


def page_modern(r: Report, c: Chrome, body: str, charset: str, show_pubdate: bool) -> str:
    nav = "\n".join(f'<li><a href="/{i}/">{e(m)}</a></li>' for i, m in enumerate(c.menu))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(r.title)}-{e(c.site)}</title>
{pubdate_meta(c, show_pubdate)}<link rel="stylesheet" href="/static/css/common.css">
{ZOOM_SCRIPT}
</head>
<body>
<div class="header">
<div class="wrap"><div class="logo"><a href="/">{e(c.site)}</a></div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
</div>
<div class="nav"><ul class="wrap">
{nav}
</ul></div>
<div class="wrap main">
<div class="crumb">{crumb_trail(c, " > ")}</div>
<div class="article-left">
<div class="article">
<h1 class="article-title">{e(r.title)}</h1>
<div class="article-info">{info_bar(c, ("发布日期", "信息来源", "阅读次数"))}</div>
<div class="article-content" id="zoom">
<div class="TRS_UEDITOR TRS_WEB">
{body}
</div>
</div>
{tools_and_neighbours(c)}
</div>
</div>
<div class="sidebar">
<div class="side-box"><h3>相关文章</h3><ul>
{link_items(c.related, True)}
</ul></div>
<div class="side-box"><h3>热点新闻</h3><ul>
{link_items(c.hot, True, 201)}
</ul></div>
<div class="side-box"><h3>专题专栏</h3><ul>
{"".join(f'<li class="zt"><a href="/ztzl/{i}/">{e(s)}</a></li>' for i, s in enumerate(c.specials))}
</ul></div>
</div>
</div>
<div class="footer"><div class="wrap">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/smsm/">隐私声明</a></p>
<p>{footer_lines(c, (c.pub_time or "2024")[:4])}</p>
{jiucuo(c)}
</div></div>
</body>
</html>
"""


def page_xxgk(r: Report, c: Chrome, body: str, charset: str, show_pubdate: bool) -> str:
    nav = " | ".join(f'<a href="/{i}/">{e(m)}</a>' for i, m in enumerate(c.menu))
    year = (c.pub_time or "2024")[:4]
    index_no = (f"{c.site_code[:6]}MB{stable_int(r.slug) % 10**7:07d}/"
                f"{year}-{stable_int(r.slug, 'n') % 900 + 100:05d}")
    date_row = f'<td class="t">发布日期</td><td>{c.pub_time[:10]}</td>' if c.pub_time else ""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="{e(c.site)}">
<meta name="SiteDomain" content="{c.domain}">
<meta name="SiteIDCode" content="{c.site_code}">
<meta name="ColumnName" content="{e(c.crumbs[-2])}">
<meta name="ArticleTitle" content="{e(r.title)}">
{pubdate_meta(c, show_pubdate)}<meta name="ContentSource" content="{e(c.source)}">
<title>{e(r.title)}_{e(c.site)}</title>
{ZOOM_SCRIPT}
</head>
<body>
<div id="top"><div class="top-inner"><span class="sitename">{e(c.site)}</span>
<span class="toplinks"><a href="#">简体</a> | <a href="#">繁體</a> | <a href="#">无障碍</a> |
<a href="#">手机版</a></span></div></div>
<div id="menu">{nav}</div>
<div class="position">{crumb_trail(c, " &gt; ")}</div>
<div class="xxgk-container">
<div class="xxgk-main">
<table class="xxgk-meta" cellspacing="0">
<tr><td class="t">索引号</td><td>{index_no}</td><td class="t">发布机构</td><td>{e(c.source)}</td></tr>
<tr><td class="t">主题分类</td><td>教育</td>{date_row}</tr>
<tr><td class="t">名称</td><td colspan="3">{e(r.title)}</td></tr>
</table>
<h1 class="xxgk-title">{e(r.title)}</h1>
<div class="xxgk-info">{info_bar(c, ("时间", "来源", "点击数"))}</div>
<div class="pages_content" id="UCAP-CONTENT">
<div id="zoom">
{body}
</div>
</div>
{tools_and_neighbours(c)}
</div>
<div class="right_list">
<div class="rl-title">相关文章</div><ul>
{link_items(c.related, True)}
</ul>
<div class="rl-title">热点新闻</div><ul>
{link_items(c.hot, False, 201)}
</ul>
<div class="rl-title">专题专栏</div>
{"".join(f'<p class="ztzl"><a href="/zt/{i}/">{e(s)}</a></p>' for i, s in enumerate(c.specials))}
</div>
</div>
<div class="footer">
<div class="footer-links"><a href="/">网站地图</a> | <a href="/">联系我们</a></div>
<div class="footer-text">{footer_lines(c, year)}</div>
{jiucuo(c)}
</div>
</body>
</html>
"""


PAGES = [page_classic, page_modern, page_xxgk]


def declared_charset(page: str, encoding: str, template: int) -> str:
    """utf-8, or gb2312 (only when the page fits in it; else gbk) for GBK pages."""
    if encoding != "gbk":
        return "utf-8" if template != 2 else "UTF-8"
    if template == 1:
        return "gbk"
    try:
        page.encode("gb2312")
        return "gb2312"
    except UnicodeEncodeError:
        return "gbk"


def pick_template(report: Report, site: Site, avoid: int | None) -> int:
    template = template_index(report.slug, site.name, len(PAGES))
    if avoid is not None and template == avoid:
        template = (template + 1 + stable_int(report.slug, "repost") % 2) % len(PAGES)
    return template


def render_html(report: Report, site: Site | None = None, avoid_template: int | None = None,
                known_date: bool = True) -> tuple[bytes, int]:
    """The page as bytes in the site's encoding, and the template used."""
    site = site or report.site
    template = pick_template(report, site, avoid_template)
    chrome = build_chrome(report, site, known_date)
    body = article_body(report, template)
    show_pubdate = stable_int(report.slug, site.name, "pubdate") % 2 == 0
    draft = PAGES[template](report, chrome, body, "utf-8", show_pubdate)
    charset = declared_charset(draft, site.encoding, template)
    page = PAGES[template](report, chrome, body, charset, show_pubdate)
    if site.encoding == "gbk":
        return page.encode("gbk", errors="xmlcharrefreplace"), template
    return page.encode("utf-8"), template
