#!/usr/bin/env python3
"""Writes shared/src/test/resources/ml/tfidf-parity.json: what scikit-learn's TfidfVectorizer
makes of a small corpus, for TfidfParityTest (the Java vectorizer must agree).
Run from the project root: /usr/bin/python3 bench/make_tfidf_parity.py"""
import json
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

CORPUS = [
    "Where is my new card? It hasn't arrived.",
    "I want a REFUND for order #1234, please!",
    "My  card   was charged twice... refund me",
    "Café au lait: naïve résumé, ÉTÉ 2024",
    "a b c d e f",
    "I I I want want to to to know",
]
CASES = {
    # max_features=6 cuts between frequencies 2 and 1: scikit-learn orders equal frequencies
    # arbitrarily (numpy argsort), so a cut through a tie would not be reproducible.
    "seed": dict(ngram_range=(1, 3), max_features=6),
    "words_1char": dict(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True, min_df=2),
    "char_wb": dict(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True),
}
out = {"sklearn": sklearn.__version__, "corpus": CORPUS, "cases": {}}
for name, params in CASES.items():
    v = TfidfVectorizer(**params)
    m = v.fit_transform(CORPUS)
    terms = v.get_feature_names_out().tolist()
    rows = []
    for i in range(m.shape[0]):
        row = m.getrow(i)
        rows.append({terms[j]: float(x) for j, x in zip(row.indices, row.data)})
    out["cases"][name] = {"params": {k: list(x) if isinstance(x, tuple) else x for k, x in params.items()},
                          "terms": terms, "idf": v.idf_.tolist(), "rows": rows}
with open("shared/src/test/resources/ml/tfidf-parity.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
