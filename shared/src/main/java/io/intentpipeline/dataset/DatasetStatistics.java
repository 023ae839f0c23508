package io.intentpipeline.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures about a dataset: its size, samples per intent (most frequent first, ties by name),
 * per source, and how many were escalated or corrected by a human (share in 0..1).
 */
record DatasetStatistics(
    @JsonProperty("total_samples") int totalSamples,
    @JsonProperty("total_intents") int totalIntents,
    @JsonProperty("per_intent") Map<String, Integer> perIntent,
    @JsonProperty("per_source") Map<String, Integer> perSource,
    @JsonProperty("corrected") int corrected,
    @JsonProperty("corrected_share") double correctedShare,
    @JsonProperty("escalated") int escalated) {

  /** Immutable copies that keep the order. */
  public DatasetStatistics {
    perIntent = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perIntent));
    perSource = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perSource));
  }

  /** Computes the statistics of {@code samples}. */
  public static DatasetStatistics of(List<TrainingSample> samples) {
    Map<String, Integer> intents = new HashMap<>();
    Map<String, Integer> sources = new HashMap<>();
    int corrected = 0;
    int escalated = 0;
    for (TrainingSample s : samples) {
      intents.merge(s.intent(), 1, Integer::sum);
      sources.merge(s.source(), 1, Integer::sum);
      corrected += s.wasCorrected() ? 1 : 0;
      escalated += s.wasEscalated() ? 1 : 0;
    }
    return new DatasetStatistics(samples.size(), intents.size(), sorted(intents), sorted(sources), corrected,
        samples.isEmpty() ? 0.0 : (double) corrected / samples.size(), escalated);
  }

  private static Map<String, Integer> sorted(Map<String, Integer> counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
