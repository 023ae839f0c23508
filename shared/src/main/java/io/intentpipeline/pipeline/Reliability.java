package io.intentpipeline.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.ml.IntentModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The reliability diagram of a model on labelled samples: the top confidence cut into equal-width
 * bins (lo, hi], and per bin how many predictions fell in it, their mean confidence and the share
 * that was right. A calibrated model's accuracy equals its confidence in every bin; the binning is
 * that of the evaluation's expected calibration error (15 bins).
 */
final class Reliability {
  /** Bins of the diagram, as the ECE uses. */
  public static final int BINS = 15;

  private Reliability() {}

  /** One bin: confidences in (lower, upper]; mean confidence and accuracy are 0 when empty. */
  public record Bin(
      @JsonProperty("lower") double lower,
      @JsonProperty("upper") double upper,
      @JsonProperty("count") int count,
      @JsonProperty("mean_confidence") double meanConfidence,
      @JsonProperty("accuracy") double accuracy) {}

  /** The {@link #BINS} bins of {@code model} on {@code samples}. */
  public static List<Bin> of(IntentModel model, List<TrainingSample> samples) {
    List<String> intents = model.intents();
    double[] confidence = new double[BINS];
    int[] hits = new int[BINS];
    int[] count = new int[BINS];
    for (TrainingSample sample : samples) {
      double[] p = model.probabilities(sample.userMessage());
      int best = 0;
      for (int c = 1; c < p.length; c++) {
        if (p[c] > p[best]) {
          best = c;
        }
      }
      int bin = Math.max(0, Math.min(BINS - 1, (int) Math.ceil(p[best] * BINS) - 1));
      confidence[bin] += p[best];
      hits[bin] += intents.get(best).equals(sample.intent()) ? 1 : 0;
      count[bin]++;
    }
    List<Bin> bins = new ArrayList<>(BINS);
    for (int b = 0; b < BINS; b++) {
      bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, count[b],
          count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : (double) hits[b] / count[b]));
    }
    return List.copyOf(bins);
  }
}
