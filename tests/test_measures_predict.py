"""predict_measures scores all measures in one sparse product: it must give exactly what each
shipped classifier's own predict_proba gives."""
import numpy as np
import pytest

from pipeline import measures_model

SENTENCES = [
    "全面推行县管校聘管理改革，教师由学校聘用、县里统一管理。",
    "建立控辍保学台账，对辍学学生逐一劝返复学。",
    "56人以上大班额由53个减少到15个。",
    "会议强调，要提高政治站位。",
    "",
]


@pytest.fixture(scope="module")
def model():
    return measures_model.load_model()[0]


@pytest.mark.parametrize("count", [1, len(SENTENCES)])
def test_scores_equal_each_classifiers_predict_proba(model, count):
    X = measures_model.featurize(model["vectorizers"], SENTENCES[:count], lexicon_weight=model["lexicon_weight"])
    scores = measures_model.predict_measures(model["classifiers"], X)
    expected = np.zeros_like(scores)
    for column, classifier in enumerate(model["classifiers"]):
        if classifier is not None:
            expected[:, column] = classifier.predict_proba(X)[:, 1]
    assert scores.shape == (count, len(model["classifiers"]))
    np.testing.assert_allclose(scores, expected, atol=1e-6)


def test_a_measure_without_a_classifier_scores_zero(model):
    classifiers = [None, *model["classifiers"][1:]]
    X = measures_model.featurize(model["vectorizers"], SENTENCES[:2], lexicon_weight=model["lexicon_weight"])
    scores = measures_model.predict_measures(classifiers, X)
    assert not scores[:, 0].any() and scores[:, 1:].any()
