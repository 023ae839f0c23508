package io.intentpipeline.local.bench;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.local.cli.CliSupport;
import io.intentpipeline.ml.ActionEvaluation;
import io.intentpipeline.ml.AnswerPolicy;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline benchmark actions}: what the answer policy does on BANKING77 (docs/ANSWER_ACTIONS.md).
 * Trains the {@code default} profile as {@code ./pipeline train --test} does (validation: 15 % of
 * train.csv), then on test.csv: the share answered and their accuracy, how often a clarify answer
 * names the right intent, the share escalated. Then the out-of-scope experiment: the same training
 * data plus generated out-of-scope messages ({@link OutOfScopeMessages}) labelled with the reserved
 * intent, and unseen out-of-scope test messages: the share escalated, and the in-scope share
 * answered and right, beside the model trained without them.
 */
@Command(name = "actions", mixinStandardHelpOptions = true, description = {
    "Measures the answer / clarify / escalate actions on BANKING77 with the default profile, and the",
    "out-of-scope intent with generated out-of-scope messages (docs/ANSWER_ACTIONS.md)."})
final class ActionsBenchmarkCommand implements Callable<Integer> {
  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Folder holding banking77/ (default: -Ddatasets.dir, else ../shared/datasets next to the project)")
  Path datasets;

  @Option(names = "--answer-target", defaultValue = "0.97", paramLabel = "ACCURACY",
      description = "Answered accuracy the threshold is chosen for (default: ${DEFAULT-VALUE})")
  double target;

  @Option(names = "--out-of-scope", defaultValue = "288", paramLabel = "N",
      description = "Out-of-scope messages added to training, and as many for the test (default: ${DEFAULT-VALUE}, at most 288)")
  int outOfScope;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the solver (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    return CliSupport.run("benchmark actions", this::benchmark);
  }

  private int benchmark() throws Exception {
    Path root = ClassifierBenchmarkCommand.projectRoot();
    Path data = (datasets != null ? datasets
        : System.getProperty("datasets.dir") != null ? Path.of(System.getProperty("datasets.dir"))
        : root.resolve("..").resolve("shared").resolve("datasets")).resolve("banking77").normalize();
    if (!Files.isRegularFile(data.resolve("train.csv")) || !Files.isRegularFile(data.resolve("test.csv"))) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "BANKING77 not found in " + data
          + " (expected train.csv and test.csv); pass --datasets DIR");
    }
    if (outOfScope < 10 || outOfScope > 288) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--out-of-scope must be from 10 to 288");
    }
    String oos = AnswerPolicy.DEFAULT_OUT_OF_SCOPE;
    List<TrainingSample> train = DatasetCleaner.clean(DatasetFiles.read(data.resolve("train.csv"),
        CsvFormat.Columns.auto())).samples();
    List<TrainingSample> test = DatasetFiles.read(data.resolve("test.csv"), CsvFormat.Columns.auto());
    List<TrainingSample> oosTrain = OutOfScopeMessages.train(outOfScope, seed).stream()
        .map(t -> TrainingSample.of(t, oos)).toList();
    List<TrainingSample> oosTest = OutOfScopeMessages.test(outOfScope, seed).stream()
        .map(t -> TrainingSample.of(t, oos)).toList();

    System.err.println("benchmark: training the default profile on BANKING77 (" + train.size() + " texts)");
    IntentModel plain = train(train);
    ActionEvaluation onTest = ActionEvaluation.of(plain, test);
    ActionEvaluation plainOnOos = ActionEvaluation.of(plain.withPolicy(plain.policy()), oosTest);

    List<TrainingSample> withOos = new ArrayList<>(train);
    withOos.addAll(oosTrain);
    System.err.println("benchmark: training again with " + oosTrain.size() + " out-of-scope messages");
    IntentModel guarded = train(DatasetCleaner.clean(withOos).samples());
    ActionEvaluation guardedOnTest = ActionEvaluation.of(guarded, test);
    ActionEvaluation guardedOnOos = ActionEvaluation.of(guarded, oosTest);

    AnswerPolicy p = plain.policy();
    System.out.printf(Locale.ROOT, "actions benchmark: BANKING77 (train %d, test %d), default profile, answer target %.3f,"
        + " seed %d%n", train.size(), test.size(), target, seed);
    System.out.printf(Locale.ROOT, "policy: threshold %.4f on %s, clarify when p1 + p2 >= %.4f; on %d validation samples:"
        + " %.1f %% answered at %.4f, %.1f %% clarified at %.3f%n%n", p.threshold(), p.score().json(),
        p.clarifyThreshold(), p.heldOutSamples(), 100 * p.expectedCoverage(), p.expectedAccuracy(),
        100 * p.expectedClarify(), p.expectedClarifyAccuracy());
    System.out.println("| figure (BANKING77 test set) | trained without out-of-scope | trained with " + oosTrain.size()
        + " out-of-scope |");
    System.out.println("| --- | ---: | ---: |");
    row("answered (share of in-scope test messages)", pct(onTest.coverage()), pct(guardedOnTest.coverage()));
    row("accuracy of the answered", f4(onTest.answeredAccuracy()), f4(guardedOnTest.answeredAccuracy()));
    row("answered and right (share of in-scope)", f4(onTest.answeredAndRight()), f4(guardedOnTest.answeredAndRight()));
    row("clarified", pct(onTest.clarifyShare()), pct(guardedOnTest.clarifyShare()));
    row("clarify answers naming the right intent", f4(onTest.clarifyAccuracy()), f4(guardedOnTest.clarifyAccuracy()));
    row("escalated", pct(onTest.escalateShare()), pct(guardedOnTest.escalateShare()));
    row("plain accuracy (top intent, all in-scope)", f4(accuracy(plain, test)), f4(accuracy(guarded, test)));
    row(oosTest.size() + " unseen out-of-scope messages escalated", pct(plainOnOos.outOfScopeEscalatedShare()),
        pct(guardedOnOos.outOfScopeEscalatedShare()));
    row("  ... of them answered (as some banking intent)", pct(share(plainOnOos.outOfScopeAnswered(), oosTest.size())),
        pct(share(guardedOnOos.outOfScopeAnswered(), oosTest.size())));
    System.out.println();
    System.out.println("targets:");
    target(onTest.answeredAccuracy() >= 0.965, String.format(Locale.ROOT, "answered accuracy >= 0.965 (%.4f)",
        onTest.answeredAccuracy()));
    target(onTest.coverage() >= 0.88, String.format(Locale.ROOT, "answered >= 88 %% (%.1f %%)", 100 * onTest.coverage()));
    target(onTest.clarifyAccuracy() >= 0.90, String.format(Locale.ROOT,
        "clarify names the right intent in >= 90 %% of clarify answers (%.1f %% of %d)", 100 * onTest.clarifyAccuracy(),
        onTest.clarified()));
    target(guardedOnOos.outOfScopeEscalatedShare() >= 0.5, String.format(Locale.ROOT,
        "at least half of unseen out-of-scope messages escalated (%.1f %%)", 100 * guardedOnOos.outOfScopeEscalatedShare()));
    double drop = onTest.answeredAndRight() - guardedOnTest.answeredAndRight();
    target(drop <= 0.02, String.format(Locale.ROOT,
        "in-scope answered-and-right within 0.02 of the model without out-of-scope data (%+.4f)", -drop));
    return CliSupport.OK;
  }

  private IntentModel train(List<TrainingSample> samples) {
    DatasetSplitter.Split split = DatasetSplitter.split(samples, 0.15, 0.0, seed);
    return new Trainer(TrainingProfile.DEFAULT).answering(target, AnswerPolicy.DEFAULT_OUT_OF_SCOPE)
        .train(split.train(), split.validation(), seed).model();
  }

  private static double accuracy(IntentModel model, List<TrainingSample> samples) {
    int right = 0;
    for (TrainingSample s : samples) {
      right += model.predict(s.userMessage(), 1).intent().equals(s.intent()) ? 1 : 0;
    }
    return right / (double) samples.size();
  }

  private static double share(int a, int b) {
    return b == 0 ? Double.NaN : a / (double) b;
  }

  private static void row(String name, String a, String b) {
    System.out.println("| " + name + " | " + a + " | " + b + " |");
  }

  private static void target(boolean met, String what) {
    System.out.println("  [" + (met ? "met" : "NOT met") + "] " + what);
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f %%", 100 * v) : "-";
  }

  private static String f4(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }
}
