package io.intentpipeline.local.cli;

import io.intentpipeline.json.Json;
import io.intentpipeline.ml.IntentModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline predict}: one JSON line (intent, confidence, top_intents, action and, on
 * clarify, clarify_intents) per input text.
 */
@Command(name = "predict", description = {
    "Predicts the intent of --text, or of every text of --data into --out (one JSON line per input,",
    "in input order: intent, confidence 0-1, top_intents, action answer|clarify|escalate, and",
    "clarify_intents when the action is clarify; docs/ANSWER_ACTIONS.md). Exit codes: 0 ok, 2 bad input."})
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--text", paramLabel = "TEXT", description = "One text to classify")
    String text;

    @Option(names = "--data", paramLabel = "DATA", description = "Texts to classify (.jsonl or .csv)")
    Path data;
  }

  @Option(names = "--out", paramLabel = "PREDICTIONS.jsonl", description = "Output file, required with --data")
  Path out;

  @Option(names = "--top", defaultValue = "3", description = "How many top intents to list (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--min-confidence", paramLabel = "X",
      description = "Answer only at this confidence or more (0-1), in place of the model's learned threshold")
  Double minConfidence;

  @Mixin
  CliSupport.Columns columns;

  @Override
  public Integer call() {
    return CliSupport.run("predict", () -> {
      if (top < 1) {
        throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--top must be at least 1");
      }
      if (minConfidence != null && !(minConfidence >= 0 && minConfidence <= 1)) {
        throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--min-confidence must be a number from 0 to 1");
      }
      double min = minConfidence == null ? Double.NaN : minConfidence;
      if (input.data != null && out == null) {
        throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--data needs --out PREDICTIONS.jsonl");
      }
      IntentModel loaded = CliSupport.readModel(model);
      if (input.text != null) {
        System.out.println(Json.write(loaded.predict(input.text, top, min)));
        return CliSupport.OK;
      }
      List<String> texts = CliSupport.readTexts(input.data, columns);
      CliSupport.progress().accept("predicting " + texts.size() + " texts");
      try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        for (String text : texts) {
          writer.write(Json.write(loaded.predict(text, top, min)));
          writer.write('\n');
        }
      } catch (IOException e) {
        throw new CliSupport.CliException(CliSupport.FAILED, out + ": cannot write: " + e.getMessage());
      }
      System.out.println(texts.size() + " predictions written to " + out);
      return CliSupport.OK;
    });
  }
}
