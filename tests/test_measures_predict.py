"""The shipped LinearModel must score exactly as the scikit-learn objects it was made from:
TfidfVectorizer(analyzer="char") + each CalibratedClassifierCV's predict_proba."""
import numpy as np
import pytest

from junheng.measures import model as measures_model
from junheng.measures import train as measures_train
from junheng.measures.linear import LinearModel

ROOT = measures_model.Path(__file__).resolve().parents[1]
SENTENCES = [
    "全面推行县管校聘管理改革，教师由学校聘用、县里统一管理。",
    "建立控辍保学台账，对辍学学生逐一劝返复学。",
    "56人以上大班额由53个减少到15个。",
    "会议强调，要提高政治站位。",
    "",
    "校",
    "劝返",
    "按照《关于做好留守儿童关爱工作的通知》开展  结对帮扶，\t\t送教上门 。",
    "全县 ICT 应用覆盖率100%，\u3000\u3000“三通两平台”全面建成。",
    "\0教育\0", "𠀋𠀋教育信息化",  # NUL and characters beyond the BMP
]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A small model fitted on part of the labels, as sklearn objects and as a LinearModel."""
    rows = measures_model.read_labels(ROOT / "corpus" / "labels")[::4]
    params = {**measures_train.PARAMS, "max_char_features": 3000}
    texts = [row["text"] for row in rows]
    Y = measures_model.label_matrix(rows, measures_model.measure_ids())
    Y[:, 0] = 0  # one measure without positives keeps no classifier and must score 0
    vectorizer = measures_model.make_vectorizer(params)
    X = measures_model.featurize(vectorizer, texts, fit=True, lexicon_weight=params["lexicon_weight"])
    model = {"measures": measures_model.measure_ids(), "vectorizer": vectorizer,
             "lexicon_weight": params["lexicon_weight"], "classifiers": measures_model.fit_measures(X, Y, params)}
    path = tmp_path_factory.mktemp("model") / "model.npz"
    measures_model.linear_model(model).save(path)
    return model, LinearModel.load(path)


def _linear_scores(linear: LinearModel, texts: list[str]) -> np.ndarray:
    prepared = [measures_model.prepare(text) for text in texts]
    return linear.scores(prepared, measures_model.keyword_columns(texts))


@pytest.mark.parametrize("count", [1, 3, len(SENTENCES)])
def test_ngram_features_equal_the_vectorizers(fitted, count):
    model, linear = fitted
    prepared = [measures_model.prepare(text) for text in SENTENCES[:count]]
    expected = model["vectorizer"].transform(prepared).toarray()
    row, column, value = linear.ngram_features(prepared)
    features = np.zeros_like(expected)
    features[row, column] = value
    np.testing.assert_allclose(features, expected, atol=1e-6)


@pytest.mark.parametrize("count", [1, 3, len(SENTENCES)])
def test_scores_equal_each_classifiers_predict_proba(fitted, count):
    model, linear = fitted
    texts = SENTENCES[:count]
    X = measures_model.featurize(model["vectorizer"], texts, lexicon_weight=model["lexicon_weight"])
    expected = np.zeros((count, len(model["classifiers"])), dtype=np.float32)
    for column, classifier in enumerate(model["classifiers"]):
        if classifier is not None:
            expected[:, column] = classifier.predict_proba(X)[:, 1]
    np.testing.assert_allclose(_linear_scores(linear, texts), expected, atol=1e-5)


def test_a_measure_without_a_classifier_scores_zero(fitted):
    model, linear = fitted
    assert model["classifiers"][0] is None
    scores = _linear_scores(linear, SENTENCES[:2])
    assert not scores[:, 0].any() and scores[:, 1:].any()


def test_no_sentences_score_nothing(fitted):
    _, linear = fitted
    assert _linear_scores(linear, []).shape == (0, len(linear.measures))


@pytest.mark.parametrize("count", [1, 7, 5000])
def test_code_table_finds_every_code_and_nothing_else(count):
    from junheng.measures.linear import _CodeTable

    rng = np.random.default_rng(count)
    codes = np.unique(rng.integers(1, 2**62, size=count, dtype=np.uint64))
    table = _CodeTable(codes)
    found, columns = table.lookup(codes[::-1])
    assert found.all() and (columns == np.arange(len(codes))[::-1]).all()
    absent = np.setdiff1d(rng.integers(1, 2**62, size=count, dtype=np.uint64), codes)
    assert not table.lookup(absent)[0].any()


def test_rows_are_summed_the_same_across_chunks(monkeypatch):
    from junheng.measures import linear as measures_linear

    rng = np.random.default_rng(0)
    row = np.sort(rng.integers(0, 40, size=3000))
    column, value = rng.integers(0, 500, size=3000), rng.random(3000, dtype=np.float32)
    weights = rng.random((500, 6), dtype=np.float32)
    whole = measures_linear._sum_rows(row, column, value, weights, 40)
    monkeypatch.setattr(measures_linear, "_CHUNK", 7)  # rows cut by chunk ends
    np.testing.assert_allclose(measures_linear._sum_rows(row, column, value, weights, 40), whole, rtol=1e-5)
    expected = np.zeros((40, 6), dtype=np.float32)
    np.add.at(expected, row, value[:, None] * weights[column])
    np.testing.assert_allclose(whole, expected, rtol=1e-5)
