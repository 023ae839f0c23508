#!/usr/bin/env python3
"""The original system's classifier stack, run with scikit-learn, for ./pipeline benchmark classifier.

TfidfVectorizer(ngram_range=(1, 3), max_features=10000) + LinearSVC(C=1.0,
class_weight="balanced") inside CalibratedClassifierCV(method="sigmoid", cv=min(5, smallest
class count)), trained on --train and scored on --test. Prints one JSON object on stdout.
Needs Debian's python3-sklearn (apt-get install -y python3-sklearn).
"""
import argparse
import csv
import json
import pickle
import resource
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC


def read(path, text_column, label_column):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r[text_column] for r in rows], [r[label_column] for r in rows]


def ece(probabilities, predicted, truth, bins=15):
    confidence = probabilities.max(axis=1)
    correct = (predicted == truth).astype(float)
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        mask = (confidence > lo) & (confidence <= hi)
        if b == 0:
            mask |= confidence == 0
        if mask.any():
            total += abs(correct[mask].sum() - confidence[mask].sum()) / len(confidence)
    return float(total)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="category")
    parser.add_argument("--latency-runs", type=int, default=300)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    x_train, y_train = read(args.train, args.text_column, args.label_column)
    y_train = np.asarray(y_train)
    x_test, y_test = read(args.test, args.text_column, args.label_column)
    y_test = np.asarray(y_test)
    folds = int(min(5, np.unique(y_train, return_counts=True)[1].min()))

    start = time.perf_counter()
    model = Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 3), max_features=10000)),
        ("clf", CalibratedClassifierCV(LinearSVC(C=1.0, class_weight="balanced"), method="sigmoid", cv=folds)),
    ])
    model.fit(x_train, y_train)
    fit_seconds = time.perf_counter() - start

    start = time.perf_counter()
    probabilities = model.predict_proba(x_test)
    batch_seconds = time.perf_counter() - start
    classes = model.classes_
    predicted = classes[probabilities.argmax(axis=1)]

    for text in x_test[:20]:
        model.predict_proba([text])
    latencies = []
    for i in range(args.latency_runs):
        text = x_test[i % len(x_test)]
        t0 = time.perf_counter()
        model.predict_proba([text])
        latencies.append((time.perf_counter() - t0) * 1e6)
    latencies.sort()

    print(json.dumps({
        "implementation": "scikit-learn " + sklearn.__version__,
        "accuracy": float(accuracy_score(y_test, predicted)),
        "f1_macro": float(f1_score(y_test, predicted, average="macro")),
        "ece": ece(probabilities, predicted, y_test),
        "fit_seconds": fit_seconds,
        "predict_p50_us": float(np.percentile(latencies, 50)),
        "predict_p99_us": float(np.percentile(latencies, 99)),
        "batch_per_second": len(x_test) / batch_seconds,
        "model_bytes": len(pickle.dumps(model)),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "train_samples": len(x_train),
        "test_samples": len(x_test),
        "calibration_folds": int(folds),
    }))


if __name__ == "__main__":
    sys.exit(main())
