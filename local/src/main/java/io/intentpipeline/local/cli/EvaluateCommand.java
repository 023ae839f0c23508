package io.intentpipeline.local.cli;

import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pipeline evaluate}: scores a model file on labelled data. */
@Command(name = "evaluate", description = {
    "Evaluates a model on labelled DATA: accuracy, macro P/R/F1, per-intent figures, confusion",
    "matrix, misclassified samples, ECE and Brier score. Exit codes: 0 ok, 2 bad input."})
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA", description = "Labelled data (.jsonl or .csv)")
  Path data;

  @Option(names = "--metrics-out", paramLabel = "FILE", description = "Where to write the evaluation JSON")
  Path metricsOut;

  @Mixin
  CliSupport.Columns columns;

  @Override
  public Integer call() {
    return CliSupport.run("evaluate", () -> {
      IntentModel loaded = CliSupport.readModel(model);
      var samples = CliSupport.readSamples(data, columns);
      if (samples.isEmpty()) {
        throw new CliSupport.CliException(CliSupport.BAD_INPUT, data + ": no samples");
      }
      CliSupport.progress().accept("evaluating on " + samples.size() + " samples");
      Evaluation evaluation = Evaluator.evaluate(loaded, samples);
      if (metricsOut != null) {
        CliSupport.writeText(metricsOut, evaluation.toJson() + "\n");
      }
      System.out.printf("accuracy %.4f, macro precision %.4f, recall %.4f, F1 %.4f, ECE %.4f, Brier %.4f on %d samples"
              + " (%d misclassified)%n", evaluation.accuracy(), evaluation.precisionMacro(), evaluation.recallMacro(),
          evaluation.f1Macro(), evaluation.ece(), evaluation.brier(), evaluation.totalSamples(),
          evaluation.misclassifiedCount());
      return CliSupport.OK;
    });
  }
}
