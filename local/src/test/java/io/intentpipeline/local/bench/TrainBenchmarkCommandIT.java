package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.local.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The training benchmark runs end to end on a small BANKING77-shaped file and prints its table. */
class TrainBenchmarkCommandIT {
  Path datasets;

  @BeforeEach
  void smallDataset() throws Exception {
    datasets = Files.createTempDirectory("train-bench");
    Path dir = Files.createDirectories(datasets.resolve("banking77"));
    StringBuilder csv = new StringBuilder("text,category\n");
    Random random = new Random(5);
    String[][] words = {{"card", "arrive", "delivery", "post"}, {"refund", "money", "back", "return"},
        {"pin", "blocked", "locked", "code"}};
    for (int n = 0; n < 40; n++) {
      for (int i = 0; i < words.length; i++) {
        csv.append("where is my ").append(words[i][random.nextInt(4)]).append(' ').append(words[i][random.nextInt(4)])
            .append(" number ").append(n).append(',').append("intent_").append(i).append('\n');
      }
    }
    Files.writeString(dir.resolve("train.csv"), csv.toString());
  }

  @AfterEach
  void removeDataset() throws Exception {
    try (Stream<Path> files = Files.walk(datasets)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    var captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.execute(args);
    } finally {
      System.setOut(original);
    }
    return exit + "\n" + captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsEveryStageOfEachRunBesideTheReference() {
    String output = run("benchmark", "train", "--runs", "2", "--datasets", datasets.toString(), "--jvm", "-Xmx256m");

    assertThat(output).startsWith("0\n")
        .contains("| run | baseline | fetch s | clean s | train s | evaluate s | deploy s | rescore s | record s | run s | JVM s |")
        .containsPattern("\\n\\| 1 \\| none \\(first\\) \\|( \\d+\\.\\d\\d \\|){9} (\\d\\.\\d{4}) \\| true \\| \\d+\\.\\d\\d \\| \\2 \\|\\n")
        .containsPattern("\\n\\| 2 \\| yes \\|")
        .contains("median per stage (s): fetch ")
        .containsPattern("\\[(met|NOT met)\\] one run end to end under 60 s");
  }

  @Test
  void theScaleModeRunsEachSizeAndTheCoreAloneWithTheTrainFunctionsFlags() {
    String output = run("benchmark", "train", "--rows", "2000", "--core", "2000,3000", "--memory", "512",
        "--datasets", datasets.toString());

    assertThat(output).startsWith("0\n")
        .contains("the train function (template.yaml TrainFunction): 3584 MB, 900 s; JVM flags -Xmx435m"
            + " -XX:+UseParallelGC -XX:+TieredCompilation -XX:TieredStopAtLevel=4 (heap 85 % of 512 MB")
        .contains("| rows | verified rows | load s | labels | fetched | samples | trained | features | fetch s |"
            + " clean s | train s | evaluate s | deploy s | rescore s | record s | run s | JVM s | CPU s |"
            + " ms / trained sample | peak heap MiB | after GC MiB | GC s | peak RSS MiB | fits |")
        .contains("largest dataset: not derived (it needs two --core sizes of 20,000 samples or more");
    List<String> run = cells(output, "| 2000 |", 24);
    int verified = Integer.parseInt(run.get(1));
    String labels = run.get(3);
    int fetched = Integer.parseInt(run.get(4));
    int samples = Integer.parseInt(run.get(5));
    int trained = Integer.parseInt(run.get(6));
    assertThat(verified).as("10 %% of the rows human-verified").isBetween(140, 260);
    if (labels.equals("human_only")) {
      assertThat(fetched).as("human_only keeps the human-verified rows").isEqualTo(verified);
    } else {
      assertThat(labels).isEqualTo("seed");
      assertThat(fetched).as("every row but the rejected ones (1 %% of the others)").isBetween(1950, 2000);
    }
    assertThat(samples).isPositive().isLessThanOrEqualTo(fetched);
    assertThat(trained).isPositive().isLessThan(samples);
    assertThat(Integer.parseInt(run.get(7))).as("features").isPositive();
    double stages = 0;
    for (int i = 8; i < 15; i++) {
      stages += Double.parseDouble(run.get(i));
    }
    double runSeconds = Double.parseDouble(run.get(15));
    assertThat(runSeconds).isPositive().isBetween(stages - 0.1, stages + 1);
    assertThat(Double.parseDouble(run.get(16))).as("the JVM's seconds").isGreaterThanOrEqualTo(runSeconds);
    assertThat(Double.parseDouble(run.get(17))).as("CPU seconds").isPositive();
    assertThat(Double.parseDouble(run.get(18))).as("ms per trained sample")
        .isCloseTo(runSeconds * 1000 / trained, org.assertj.core.data.Percentage.withPercentage(3));
    double peakHeap = Double.parseDouble(run.get(19));
    assertThat(peakHeap).isPositive().isLessThanOrEqualTo(435);
    assertThat(Double.parseDouble(run.get(20))).as("after GC").isLessThanOrEqualTo(peakHeap);
    assertThat(Double.parseDouble(run.get(22))).as("peak RSS").isPositive();
    assertThat(run.get(23)).isEqualTo("yes");

    List<String> core = cells(output, "| 2000 |", 14);
    assertThat(Integer.parseInt(core.get(1))).as("train and validation: 85 %%").isBetween(1650, 1750);
    assertThat(Integer.parseInt(core.get(2))).as("features").isPositive();
    assertThat(Double.parseDouble(core.get(8))).as("peak heap").isPositive().isLessThanOrEqualTo(435);
    assertThat(Double.parseDouble(core.get(13))).as("F1").isBetween(0.0, 1.0);
    assertThat(cells(output, "| 3000 |", 14).get(0)).isEqualTo("3000");
  }

  /** The cells of the table line starting with {@code start} that has {@code count} cells. */
  private static List<String> cells(String output, String start, int count) {
    return output.lines().filter(line -> line.startsWith(start))
        .map(line -> Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim).toList())
        .filter(cells -> cells.size() == count).findFirst()
        .orElseThrow(() -> new AssertionError("no line of " + count + " cells starting with " + start + " in\n" + output));
  }

  @Test
  void aMissingDatasetIsAnUnavailableDependency() {
    assertThat(run("benchmark", "train", "--datasets", datasets.resolve("nowhere").toString())).startsWith("3\n");
    assertThat(run("benchmark", "train", "--runs", "0")).startsWith("2\n");
    assertThat(run("benchmark", "train", "--datasets", datasets.toString(), "--rows", "999")).startsWith("2\n");
    assertThat(run("benchmark", "train", "--datasets", datasets.toString(), "--core", "2000", "--memory", "20000"))
        .startsWith("2\n");
  }
}
