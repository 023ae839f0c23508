#!/usr/bin/env python3
"""How exact macro F1 is on a small test split: one model's predictions on a labelled file,
scored on random subsets of it (docs/LEARNING_LOOP.md, "How exact a small test split is").

  ./pipeline predict --model MODEL --data TEST.csv --out preds.jsonl
  python3 bench/f1_subsample.py TEST.csv preds.jsonl [--sizes 300,600,1000] [--draws 200] [--seed 0]

Macro F1 over the intents each subset holds (as a training run's figures are). Standard library only.
"""
import argparse
import csv
import json
import random


def macro_f1(truth, predicted):
    scores = []
    for label in set(truth):
        tp = sum(1 for t, p in zip(truth, predicted) if t == label and p == label)
        predicted_as = sum(1 for p in predicted if p == label)
        support = sum(1 for t in truth if t == label)
        precision = tp / predicted_as if predicted_as else 0.0
        recall = tp / support
        scores.append(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
    return sum(scores) / len(scores)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("test")
    parser.add_argument("predictions")
    parser.add_argument("--label-column", default="category")
    parser.add_argument("--sizes", default="300,600,1000")
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with open(args.test, newline="", encoding="utf-8") as f:
        truth = [row[args.label_column] for row in csv.DictReader(f)]
    with open(args.predictions, encoding="utf-8") as f:
        predicted = [json.loads(line)["intent"] for line in f]
    if len(truth) != len(predicted):
        raise SystemExit(f"{len(truth)} labelled rows but {len(predicted)} predictions")
    rng = random.Random(args.seed)
    print(f"all {len(truth)} samples: macro F1 {macro_f1(truth, predicted):.3f}")
    print("samples  mean   p5     p95")
    for size in (int(s) for s in args.sizes.split(",")):
        scores = []
        for _ in range(args.draws):
            idx = rng.sample(range(len(truth)), size)
            scores.append(macro_f1([truth[i] for i in idx], [predicted[i] for i in idx]))
        scores.sort()
        p5, p95 = scores[int(0.05 * args.draws)], scores[int(0.95 * args.draws) - 1]
        print(f"{size:7d}  {sum(scores) / len(scores):.3f}  {p5:.3f}  {p95:.3f}")


if __name__ == "__main__":
    main()
