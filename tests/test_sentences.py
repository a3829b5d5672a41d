import pytest

from junheng.text.sentences import Span, split_clauses, split_sentences


def units(text: str) -> list[tuple[str, str]]:
    return [(span.kind, span.text) for span in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("建立控辍保学机制。实行四级联控！辍学率为0？",
     [("sentence", "建立控辍保学机制。"), ("sentence", "实行四级联控！"), ("sentence", "辍学率为0？")]),
    ("一是补充教师；二是交流轮岗；三是强化培训。",
     [("sentence", "一是补充教师；"), ("sentence", "二是交流轮岗；"), ("sentence", "三是强化培训。")]),
    ("下一步：一是加大投入，二是完善机制，三是推进扩容。",
     [("sentence", "下一步："), ("item", "一是加大投入，"), ("item", "二是完善机制，"), ("item", "三是推进扩容。")]),
    ("主要措施有：（1）新建学校，（2）招聘教师。",
     [("sentence", "主要措施有："), ("item", "（1）新建学校，"), ("item", "（2）招聘教师。")]),
    ("其一，严控班额；其二，规范招生。", [("sentence", "其一，严控班额；"), ("sentence", "其二，规范招生。")]),
    ("重点抓好三件事：①控辍保学，②营养改善。",
     [("sentence", "重点抓好三件事："), ("item", "①控辍保学，"), ("item", "②营养改善。")]),
])
def test_sentences_and_list_items(text, expected):
    assert units(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("三、推进均衡发展的主要举措", [("heading", "三、推进均衡发展的主要举措")]),
    ("（一）强化政府主导，压实各方责任", [("heading", "（一）强化政府主导，压实各方责任")]),
    ("（一）优化学校布局。修编布局规划，新建学校8所。",
     [("heading", "（一）优化学校布局。"), ("sentence", "修编布局规划，新建学校8所。")]),
    ("1. 补充教师。全年招聘46人。", [("heading", "1. 补充教师。"), ("sentence", "全年招聘46人。")]),
    ("宝清县人民政府\n2016年5月10日", [("heading", "宝清县人民政府"), ("heading", "2016年5月10日")]),
])
def test_headings_stand_alone(text, expected):
    assert units(text) == expected


def test_each_line_is_split_on_its_own():
    text = "全县有学校38所\n其中小学22所。"
    assert [span.text for span in split_sentences(text)] == ["全县有学校38所", "其中小学22所。"]


@pytest.mark.parametrize("row", ["|指标|小学|初中|", "生均公用经费\t600\t800", "| 大班额（个）| 46 | 0 |"])
def test_table_rows_are_units(row):
    text = f"情况如下。\n{row}\n{row}\n以上。"
    spans = split_sentences(text)
    assert [span.kind for span in spans] == ["sentence", "table_row", "table_row", "sentence"]
    assert spans[1].text == row.strip()


@pytest.mark.parametrize("text, expected", [
    ("印发了《关于做好控辍保学工作的通知。》等文件。", ["印发了《关于做好控辍保学工作的通知。》等文件。"]),
    ("群众评价“好。真好！”。随后继续。", ["群众评价“好。真好！”。", "随后继续。"]),
    ("实现“三个增长。”县财政足额拨付。", ["实现“三个增长。”", "县财政足额拨付。"]),
    ("经费（含取暖费；不含工资）足额到位。", ["经费（含取暖费；不含工资）足额到位。"]),
])
def test_brackets_and_quotes_do_not_cut(text, expected):
    assert [span.text for span in split_sentences(text)] == expected


def test_an_unclosed_bracket_does_not_swallow_the_rest():
    text = "这是一个“没有闭合的引号。" + "后面的句子很长。" * 40
    assert len(split_sentences(text)) > 10


@pytest.mark.parametrize("text", [
    "  前面有空格。\n\n（二）标题\n| a | b |\n一是甲，二是乙。  \n末行",
    "没有标点的一行\n" * 3 + "结尾。",
    "",
    "\n\n",
])
def test_offsets_point_into_the_text(text):
    for span in split_sentences(text):
        assert text[span.start:span.end] == span.text
        assert span.text == span.text.strip() and span.text


def test_clauses_keep_titles_whole():
    text = "修订《学生资助、营养改善办法》，新建食堂3所，配备厨师12名。"
    span = Span(text, 0, len(text))
    assert [clause.text for clause in split_clauses(text, span)] == [
        "修订《学生资助、营养改善办法》，", "新建食堂3所，", "配备厨师12名。"]
