package io.intentpipeline.local.cli;

import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.local.cli.demo.DemoException;
import io.intentpipeline.local.cli.simulate.Simulation;
import io.intentpipeline.local.cli.simulate.SimulationReport;
import io.intentpipeline.local.stack.LocalStack;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.interaction.AuditSample;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.pipeline.TrainingSettings;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.storage.Database;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/** {@code ./pipeline simulate}: the learning loop judged on a labelled corpus replayed as live traffic. */
@Command(name = "simulate", description = {
    "Replays the labelled corpus TRAIN as live traffic through a fresh local stack",
    "and its HTTP API, day by day. Day 0 imports the seed share as human-labelled",
    "data and trains. Each day the deployed model answers that day's messages",
    "(predict), they are recorded and flushed, a simulated reviewer corrects the",
    "review share of the day's traffic from pending-review with the gold label, and",
    "the nightly run trains and the gate decides. After each day the model in",
    "service is scored on the gold file TEST, which the pipeline never sees.",
    "Writes OUT/simulation.json and OUT/simulation.html (the learning curves) and",
    "prints the table as it goes. Exit codes: 0 done, 1 a step failed, 2 bad usage",
    "or input, 3 PostgreSQL unavailable."}, mixinStandardHelpOptions = true)
final class SimulateCommand implements Callable<Integer> {
  // The options up to --out are the contract by which the learning loop is judged: keep them stable.
  @Option(names = "--train", required = true, paramLabel = "FILE",
      description = "The labelled corpus replayed (.jsonl or .csv)") Path train;
  @Option(names = "--test", required = true, paramLabel = "FILE",
      description = "The gold test file, never shown to the pipeline (.jsonl or .csv)") Path test;
  @Mixin CliSupport.Columns columns;
  @Option(names = "--seed-share", defaultValue = "0.1", paramLabel = "SHARE", description = "Share of TRAIN imported as"
      + " human-labelled data on day 0, in (0, 1] (default ${DEFAULT-VALUE})") double seedShare;
  @Option(names = "--days", defaultValue = "9", paramLabel = "N",
      description = "Days the rest of TRAIN is spread over, in equal slices (default ${DEFAULT-VALUE})") int days;
  // Of the day's traffic, not of the queue: the queue grows with what earlier days left.
  @Option(names = "--review-share", defaultValue = "0.2", paramLabel = "SHARE", description = "The reviewer's daily"
      + " budget as a share of the day's traffic, in (0, 1] (default ${DEFAULT-VALUE})") double reviewShare;
  // Repeatable so that strategies added later each draw their curve in the same call.
  @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "lowest_confidence",
      description = "Review order, repeatable (one curve each): lowest_confidence (default), smallest_margin,"
          + " diverse") List<String> strategies;
  @Option(names = "--label-policy", paramLabel = "NAME", description = "Which unreviewed rows the runs train on:"
      + " seed (all, with the bot's label), human_only, confident (bot confidence >= 90), trusted (human_only once"
      + " humans labelled 5 per intent, seed before); default: the product's (trusted)") String labelPolicy;
  @Option(names = "--audit-share", paramLabel = "SHARE", description = "Share of live traffic picked at random"
      + " for review (review_reason audit) and served first, in [0, 1]; default: the product's (0.02)")
  Double auditShare;
  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed of the seed share and the day order (default ${DEFAULT-VALUE})") long seed;
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Where simulation.json and simulation.html go") Path out;

  // Not in the contract: where the stacks live, for tests and side-by-side runs.
  @Option(names = "--database-name", defaultValue = "intent_pipeline_simulate", paramLabel = "NAME",
      description = "The simulation's database, dropped and created empty first; a second strategy gets _2,"
          + " and so on (default ${DEFAULT-VALUE})")
  String databaseName;
  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder of the stacks, emptied first;"
      + " a second strategy gets -2, and so on (default: OUT/stack)") Path dataDir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Written into each stack's data folder, so that a later run knows the folder is the simulation's to empty. */
  static final String MARKER = ".intent-pipeline-simulate";

  @Override
  public Integer call() {
    validate();
    return CliSupport.run("simulate", this::simulate);
  }

  /** Refuses bad usage as picocli does (exit 2 with the usage). */
  void validate() {
    CommandLine cl = spec.commandLine();
    if (!(seedShare > 0 && seedShare <= 1)) {
      throw new CommandLine.ParameterException(cl, "--seed-share must be in (0, 1], not " + seedShare);
    }
    if (!(reviewShare > 0 && reviewShare <= 1)) {
      throw new CommandLine.ParameterException(cl, "--review-share must be in (0, 1], not " + reviewShare);
    }
    if (days < 1) {
      throw new CommandLine.ParameterException(cl, "--days must be at least 1, not " + days);
    }
    for (String s : strategies) {
      if (!Simulation.STRATEGIES.contains(s)) {
        throw new CommandLine.ParameterException(cl, "unknown --strategy '" + s + "'; accepted: "
            + String.join(", ", Simulation.STRATEGIES));
      }
    }
    if (auditShare == null) {
      auditShare = AuditSample.DEFAULT_SHARE;
    }
    if (!(auditShare >= 0 && auditShare <= 1)) {
      throw new CommandLine.ParameterException(cl, "--audit-share must be in [0, 1], not " + auditShare);
    }
    if (labelPolicy == null) {
      labelPolicy = TrainingSettings.DEFAULT_LABEL_POLICY.wireName();
    }
    if (!Simulation.LABEL_POLICIES.contains(labelPolicy)) {
      throw new CommandLine.ParameterException(cl, "unknown --label-policy '" + labelPolicy + "'; accepted: "
          + String.join(", ", Simulation.LABEL_POLICIES));
    }
  }

  private int simulate() {
    List<TrainingSample> trainSamples = CliSupport.readSamples(train, columns);
    List<TrainingSample> testSamples = CliSupport.readSamples(test, columns);
    if (trainSamples.isEmpty() || testSamples.isEmpty()) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, (trainSamples.isEmpty() ? train : test) + ": no samples");
    }
    Path root = ProjectRoot.find();
    Path outDir = out.toAbsolutePath();
    // Sorted by name: the settings are read by a person looking for one, not in declaration order.
    Map<String, Object> settings = new TreeMap<>(Map.of("train", train.toString(), "test", test.toString(),
        "train_samples", trainSamples.size(), "test_samples", testSamples.size(), "seed_share", seedShare,
        "days", days, "review_share", reviewShare, "label_policy", labelPolicy, "seed", seed));
    settings.put("audit_share", auditShare);

    long start = System.nanoTime();
    SimulationReport.AllGold allGold = allGold(trainSamples, testSamples);
    printed().printf(Locale.ROOT, "all gold labels (profile default, %d samples): accuracy %.4f, macro F1 %.4f%n",
        trainSamples.size(), allGold.accuracy(), allGold.f1Macro());
    printed().println(Simulation.HEADER);

    Simulation.Settings simulation = new Simulation.Settings(trainSamples, testSamples, seedShare, days, reviewShare,
        labelPolicy, seed);
    Map<String, List<Simulation.Day>> byStrategy = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(new LinkedHashSet<>(strategies));
    for (int i = 0; i < names.size(); i++) {
      String suffix = i == 0 ? "" : String.valueOf(i + 1);
      Path folder = (dataDir != null ? dataDir.toAbsolutePath() : outDir.resolve("stack"));
      if (i > 0) {
        folder = folder.resolveSibling(folder.getFileName() + "-" + suffix);
      }
      byStrategy.put(names.get(i), runStrategy(root, folder, databaseName + (i == 0 ? "" : "_" + suffix),
          simulation, names.get(i)));
    }

    List<Simulation.Day> all = byStrategy.values().stream().flatMap(List::stream).toList();
    CliSupport.writeText(outDir.resolve("simulation.json"), SimulationReport.json(settings, allGold, all));
    CliSupport.writeText(outDir.resolve("simulation.html"), SimulationReport.html(settings, allGold, byStrategy));
    printed().printf(Locale.ROOT, "Simulation finished in %.0f s: %s and %s%n", (System.nanoTime() - start) / 1e9,
        outDir.resolve("simulation.json"), outDir.resolve("simulation.html"));
    return CliSupport.OK;
  }

  /** The same profile the runs train with, trained on every gold label of TRAIN (validation split as train --test does). */
  private SimulationReport.AllGold allGold(List<TrainingSample> trainSamples, List<TrainingSample> testSamples) {
    DatasetSplitter.Split split = DatasetSplitter.split(DatasetCleaner.clean(trainSamples).samples(), 0.15, 0.0, seed);
    Trainer.Result result = new Trainer(TrainingProfile.named("default"))
        .train(split.train(), split.validation(), seed, CliSupport.progress());
    Evaluation evaluation = Evaluator.evaluate(result.model(), testSamples);
    return new SimulationReport.AllGold(evaluation.accuracy(), evaluation.f1Macro());
  }

  private List<Simulation.Day> runStrategy(Path root, Path folder, String database, Simulation.Settings simulation,
                                           String strategy) {
    ScratchStack.empty(folder, MARKER, "./pipeline simulate");
    Database.Settings db = ScratchStack.freshDatabase(database);
    LocalStack.Options options = ScratchStack.options(root, folder, Map.of("AuditShare", String.valueOf(auditShare)));
    PrintStream log = ScratchStack.logFile(folder.resolve("functions.log"));
    Log.to(log);
    try (LocalStack stack = ScratchStack.start(options, db)) {
      return new Simulation(simulation, stack.apiUrl(), location -> read(stack, location), printed()).run(strategy);
    } catch (DemoException e) {
      throw new CliSupport.CliException(CliSupport.FAILED, e.getMessage());
    } finally {
      Log.to(System.out);
      log.close();
    }
  }

  /** Where the table goes: the command line's standard output. */
  private PrintWriter printed() {
    return spec.commandLine().getOut();
  }

  /** The bytes of {@code s3://bucket/key} from the stack's S3 server. */
  private static byte[] read(LocalStack stack, String location) {
    String path = location.substring("s3://".length());
    int slash = path.indexOf('/');
    return stack.s3().getObjectAsBytes(GetObjectRequest.builder().bucket(path.substring(0, slash))
        .key(path.substring(slash + 1)).build()).asByteArray();
  }
}
