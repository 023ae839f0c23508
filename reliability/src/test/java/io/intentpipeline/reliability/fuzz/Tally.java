package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one entry point answered to its fuzzed inputs: the count per outcome, and the first
 * failures (a 5xx, an answer without a clear error, an escaping exception), each with the input's
 * number so that {@code -Dfuzz.seed} replays it.
 */
final class Tally {
  private final String entryPoint;
  private final long seed;
  private final long started = System.nanoTime();
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private int inputs;
  private int accepted;
  private int refused;
  private int failed;

  Tally(String entryPoint, long seed) {
    this.entryPoint = entryPoint;
    this.seed = seed;
  }

  /** An input was answered well: {@code wasAccepted} (2xx, stored, read) or refused clearly; {@code outcome} says how. */
  void answered(boolean wasAccepted, String outcome) {
    inputs++;
    if (wasAccepted) {
      accepted++;
    } else {
      refused++;
    }
    outcomes.merge(outcome, 1, Integer::sum);
  }

  /** Input number {@code i} was answered badly: {@code what} says how, {@code input} what it was (shortened). */
  void failed(int i, String what, String input) {
    inputs++;
    failed++;
    outcomes.merge("FAILED", 1, Integer::sum);
    if (failures.size() < 10) {
      String shown = input == null ? "" : input.length() > 300 ? input.substring(0, 300) + "..." : input;
      failures.add("#" + i + ": " + what + "\n      input: " + shown);
    }
  }

  int accepted() {
    return accepted;
  }

  int inputs() {
    return inputs;
  }

  /** Prints the entry point's line and fails when anything was answered badly. */
  void report() {
    double seconds = (System.nanoTime() - started) / 1e9;
    // "Answered clearly": a 2xx or a 4xx with a JSON error (HTTP), a batch item failure (SQS), the
    // format error (files), an IllegalArgumentException with its message (direct invocations).
    System.out.printf("fuzz %s: %d inputs, %d answered clearly (%d accepted, %d refused), %d 5xx or escaped,"
            + " seed=%d, %.1f s; outcomes %s%n",
        entryPoint, inputs, accepted + refused, accepted, refused, failed, seed, seconds, outcomes);
    assertThat(failures).as("fuzz " + entryPoint + " (replay with -Dfuzz.seed=" + seed + ")").isEmpty();
  }
}
