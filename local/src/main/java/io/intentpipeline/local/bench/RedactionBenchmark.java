package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.ingest.RecordService;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.CliSupport;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.privacy.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline benchmark redaction}: recall and precision per kind on a generated labelled
 * corpus, for the hand-written scanner and the regular-expression alternative; the time each takes
 * per message; what redaction adds to the record function's work on a request; optionally the
 * BANKING77 accuracy with and without redaction (docs/PRIVACY.md).
 */
@Command(name = "redaction", description = {
    "Redaction: recall and precision per kind on a generated labelled corpus, time per message of the",
    "scanner and of one regular expression per kind, the cost on record's work per request, and with",
    "--banking77 the classifier's accuracy with and without redaction."})
public final class RedactionBenchmark implements Callable<Integer> {
  @Option(names = "--messages", defaultValue = "10000", description = "Messages generated (default: ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--seed", defaultValue = "19", description = "Seed of the generator (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--rounds", defaultValue = "20", description = "Timed passes over the corpus (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--banking77", description = "Also train the default profile on BANKING77 with and without redaction")
  boolean banking77;

  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Folder holding banking77/ (default: -Ddatasets.dir, else ../shared/datasets next to the project)")
  Path datasets;

  @Override
  public Integer call() {
    return CliSupport.run("benchmark redaction", this::benchmark);
  }

  private int benchmark() throws Exception {
    List<PersonalDataCorpus.Message> corpus = new PersonalDataCorpus(seed).messages(messages);
    Redactor scanner = Redactor.standard();
    RegexRedactor regex = new RegexRedactor();
    RedactionScore scannerScore = RedactionScore.of(corpus, scanner::apply);
    RedactionScore regexScore = RedactionScore.of(corpus, regex::apply);
    long withData = corpus.stream().filter(m -> !m.values().isEmpty()).count();
    System.out.printf("redaction benchmark: %d generated messages (seed %d), %d with personal data, %d without;"
        + " JVM %s%n%n", corpus.size(), seed, withData, corpus.size() - withData, System.getProperty("java.vm.version"));
    System.out.println("hand-written scanner (Redactor, used by record, predict and import):");
    System.out.println(scannerScore.table());
    System.out.println("one regular expression per kind (RegexRedactor, measured for comparison only):");
    System.out.println(regexScore.table());

    String[] texts = corpus.stream().map(PersonalDataCorpus.Message::text).toArray(String[]::new);
    double[] scannerNanos = perMessage(texts, scanner::apply);
    double[] regexNanos = perMessage(texts, regex::apply);
    System.out.println("time per message, " + rounds + " passes after " + Math.max(3, rounds / 4) + " warm-up passes:");
    System.out.println("| redactor | p50 (µs) | p99 (µs) | max (µs) | mean (µs) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    row("hand-written scanner", scannerNanos);
    row("regular expression per kind", regexNanos);
    System.out.printf("regex / scanner at p50: %.1fx, at p99: %.1fx%n%n", percentile(regexNanos, 50) / percentile(scannerNanos, 50),
        percentile(regexNanos, 99) / percentile(scannerNanos, 99));

    recordCost(texts);
    if (banking77) {
      banking77(scanner);
    }
    boolean met = true;
    for (int k = 0; k < 4; k++) {
      met &= scannerScore.recall(k) >= 0.99 && scannerScore.precision(k) >= 0.99;
    }
    System.out.printf("target recall and precision >= 0.99 for each kind: %s%n", met ? "met" : "NOT met");
    return met ? CliSupport.OK : CliSupport.FAILED;
  }

  /** Nanoseconds per message of the last {@code rounds} passes (every message, every pass). */
  private double[] perMessage(String[] texts, UnaryOperator<String> redactor) {
    long sink = 0;
    for (int w = 0; w < Math.max(3, rounds / 4); w++) {
      for (String t : texts) {
        sink += redactor.apply(t).length();
      }
    }
    double[] nanos = new double[texts.length * rounds];
    int n = 0;
    for (int r = 0; r < rounds; r++) {
      for (String t : texts) {
        long start = System.nanoTime();
        sink += redactor.apply(t).length();
        nanos[n++] = System.nanoTime() - start;
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
    return nanos;
  }

  /**
   * Record's work on one request before the send (read and check the body, redact, encode the
   * queue message), with redaction on and off, on one-interaction bodies of the corpus' messages.
   */
  private void recordCost(String[] texts) {
    List<JsonNode> bodies = new ArrayList<>(texts.length);
    for (int i = 0; i < texts.length; i++) {
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("interaction_id", "bench-" + i);
      body.put("user_message", texts[i]);
      body.put("detected_intent", "card_arrival");
      body.put("confidence_score", 70);
      body.put("ai_response", "Thanks, we are looking into it. Your reference is TX-" + (10000 + i) + ".");
      body.put("occurred_at", "2026-12-01T10:00:00Z");
      bodies.add(body);
    }
    RecordService on = new RecordService(new InteractionReader(Clock.systemUTC(), () -> "x"), bodiesOnly(),
        Redactor.standard());
    RecordService off = new RecordService(new InteractionReader(Clock.systemUTC(), () -> "x"), bodiesOnly(),
        Redactor.off());
    // Alternate the two so that both see the same JIT and machine state.
    double[][] both = new double[2][texts.length * rounds];
    for (int w = 0; w < Math.max(3, rounds / 4); w++) {
      for (JsonNode b : bodies) {
        on.prepare(b);
        off.prepare(b);
      }
    }
    int n = 0;
    for (int r = 0; r < rounds; r++) {
      for (JsonNode b : bodies) {
        long t0 = System.nanoTime();
        on.prepare(b);
        long t1 = System.nanoTime();
        off.prepare(b);
        long t2 = System.nanoTime();
        both[0][n] = t1 - t0;
        both[1][n++] = t2 - t1;
      }
    }
    System.out.println("record's work per request before the send (RecordService.prepare: check, redact, encode),"
        + " one interaction per request:");
    System.out.println("| redaction | p50 (µs) | p99 (µs) | max (µs) | mean (µs) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    row("on (default)", both[0]);
    row("off", both[1]);
    double added = percentile(both[0], 99) - percentile(both[1], 99);
    System.out.printf("added at p99: %.1f µs (target at most 20 µs: %s); at p50: %.1f µs%n%n", added / 1000,
        added <= 20_000 ? "met" : "NOT met", (percentile(both[0], 50) - percentile(both[1], 50)) / 1000);
  }

  private static io.intentpipeline.queue.InteractionQueue bodiesOnly() {
    return bodies -> 0;
  }

  private void banking77(Redactor redactor) throws Exception {
    Path data = (datasets != null ? datasets
        : System.getProperty("datasets.dir") != null ? Path.of(System.getProperty("datasets.dir"))
        : ClassifierBenchmarkCommand.projectRoot().resolve("..").resolve("shared").resolve("datasets"))
        .resolve("banking77").normalize();
    if (!Files.isRegularFile(data.resolve("train.csv")) || !Files.isRegularFile(data.resolve("test.csv"))) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "BANKING77 not found in " + data + "; pass --datasets DIR");
    }
    List<TrainingSample> train = CliSupport.readSamples(data.resolve("train.csv"), new CliSupport.Columns());
    List<TrainingSample> test = CliSupport.readSamples(data.resolve("test.csv"), new CliSupport.Columns());
    int[] changed = new int[2];
    List<TrainingSample> redactedTrain = redact(train, redactor, changed, 0);
    List<TrainingSample> redactedTest = redact(test, redactor, changed, 1);
    System.out.printf("BANKING77: train %d texts (%d changed by redaction), test %d (%d changed); default profile, seed 42%n",
        train.size(), changed[0], test.size(), changed[1]);
    double plain = accuracy(train, test);
    double redacted = accuracy(redactedTrain, redactedTest);
    // The same texts with personal data added to 30 % of them, as live traffic would carry it.
    PersonalDataCorpus generator = new PersonalDataCorpus(seed);
    java.util.Random pick = new java.util.Random(seed);
    List<TrainingSample> withDataTrain = withPersonalData(train, generator, pick);
    List<TrainingSample> withDataTest = withPersonalData(test, generator, pick);
    int[] ignored = new int[2];
    double withData = accuracy(withDataTrain, withDataTest);
    double withDataRedacted = accuracy(redact(withDataTrain, redactor, ignored, 0), redact(withDataTest, redactor, ignored, 1));
    System.out.println("| texts | redaction | accuracy |");
    System.out.println("| --- | --- | ---: |");
    System.out.printf("| BANKING77 as published | off | %.4f |%n", plain);
    System.out.printf("| BANKING77 as published | on | %.4f |%n", redacted);
    System.out.printf("| 30 %% with a card, IBAN, e-mail or phone added | off | %.4f |%n", withData);
    System.out.printf("| 30 %% with a card, IBAN, e-mail or phone added | on | %.4f |%n", withDataRedacted);
    System.out.printf("change with redaction on BANKING77 as published: %+.4f (target at most 0.005: %s);"
        + " with personal data added: %+.4f%n%n", redacted - plain, Math.abs(redacted - plain) <= 0.005 ? "met" : "NOT met",
        withDataRedacted - withData);
  }

  /** {@code samples} with one value of personal data appended to about 30 % of the texts. */
  private static List<TrainingSample> withPersonalData(List<TrainingSample> samples, PersonalDataCorpus generator,
      java.util.Random pick) {
    List<TrainingSample> out = new ArrayList<>(samples.size());
    for (TrainingSample s : samples) {
      if (pick.nextInt(10) < 3) {
        String value = switch (pick.nextInt(4)) {
          case 0 -> "my card is " + generator.card();
          case 1 -> "my IBAN is " + generator.iban();
          case 2 -> "email me at " + generator.email();
          default -> "call me on " + generator.phone();
        };
        out.add(s.withUserMessage(s.userMessage() + " " + value));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static List<TrainingSample> redact(List<TrainingSample> samples, Redactor redactor, int[] changed, int slot) {
    List<TrainingSample> out = new ArrayList<>(samples.size());
    for (TrainingSample s : samples) {
      String text = redactor.apply(s.userMessage());
      if (!text.equals(s.userMessage())) {
        changed[slot]++;
      }
      out.add(s.withUserMessage(text));
    }
    return out;
  }

  private static double accuracy(List<TrainingSample> train, List<TrainingSample> test) {
    DatasetSplitter.Split split = DatasetSplitter.split(DatasetCleaner.clean(train).samples(), 0.15, 0.0, 42);
    Trainer.Result result = new Trainer(TrainingProfile.named("default")).train(split.train(), split.validation(), 42,
        message -> { });
    Evaluation evaluation = Evaluator.evaluate(result.model(), test);
    return evaluation.accuracy();
  }

  private static void row(String name, double[] nanos) {
    System.out.printf("| %s | %.2f | %.2f | %.1f | %.2f |%n", name, percentile(nanos, 50) / 1000,
        percentile(nanos, 99) / 1000, percentile(nanos, 100) / 1000, Arrays.stream(nanos).average().orElse(0) / 1000);
  }

  private static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
