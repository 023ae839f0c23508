package io.intentpipeline.pipeline;

import java.util.Locale;

/**
 * What a training run trains on. The classifier (TF-IDF vocabulary, IDF and one linear SVM per
 * intent) is always fitted from scratch: its vocabulary cannot be extended in place without
 * changing every weight, so the types differ in what data they take and when they train.
 */
public enum RunType {
  /** Every sample {@code get_training_dataset} returns for the request's filters. */
  FULL("full"),
  /**
   * As {@link #FULL}, but only when something changed since the newest completed run started: a
   * sample was stored, or a human corrected one. Otherwise the run completes at once without
   * training ("nothing new"), which makes it the cheap choice for a nightly schedule.
   */
  INCREMENTAL("incremental"),
  /**
   * Only samples whose intent a human gave or confirmed ({@code corrected_by_human}): the bot's own,
   * unverified predictions never teach the model. {@code only_reviewed} is implied and
   * {@code min_confidence} does not apply (corrected samples pass it anyway).
   */
  INTENT_ONLY("intent_only");

  private final String dbName;

  RunType(String dbName) {
    this.dbName = dbName;
  }

  /** The name in {@code ai_training_runs.run_type} and in requests. */
  public String dbName() {
    return dbName;
  }

  /** The type called {@code name}; IllegalArgumentException otherwise. */
  public static RunType parse(String name) {
    for (RunType type : values()) {
      if (type.dbName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("run_type must be one of full, incremental, intent_only, got '"
        + (name == null ? "" : name.toLowerCase(Locale.ROOT)) + "'");
  }
}
