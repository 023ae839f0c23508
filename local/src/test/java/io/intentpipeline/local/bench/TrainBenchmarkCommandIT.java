package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.local.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
  void aMissingDatasetIsAnUnavailableDependency() {
    assertThat(run("benchmark", "train", "--datasets", datasets.resolve("nowhere").toString())).startsWith("3\n");
    assertThat(run("benchmark", "train", "--runs", "0")).startsWith("2\n");
  }
}
