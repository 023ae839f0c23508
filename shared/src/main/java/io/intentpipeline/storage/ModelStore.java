package io.intentpipeline.storage;

import io.intentpipeline.ml.ModelCodec;
import java.util.Optional;

/**
 * Where deployed models live: one object per deployed model,
 * {@code models/intent_classifier_YYYYMMDD_HHMMSS.model}, and {@code models/intent_classifier_latest.model},
 * the model in service (a copy of one of them). Predict reads latest; an admin rolls back by copying
 * an older timestamped object over latest, and the next training run takes latest as its baseline.
 *
 * <p>Failures of the store itself (unreachable, refused) are {@link ModelStoreException}s.
 */
public interface ModelStore {
  /** The file extension of model objects: the model codec's format. */
  String EXTENSION = ModelCodec.FILE_EXTENSION;
  /** The key of the model in service. */
  String LATEST_KEY = "models/intent_classifier_latest." + EXTENSION;

  /** The key of the model of version {@code modelVersion} (e.g. {@code intent_classifier_20260220_070000}). */
  static String versionKey(String modelVersion) {
    if (!modelVersion.matches("[A-Za-z0-9_.-]{1,100}")) {
      throw new IllegalArgumentException("not a model version: " + modelVersion);
    }
    return "models/" + modelVersion + "." + EXTENSION;
  }

  /** The model in service, or empty when none was ever deployed. */
  Optional<StoredModel> latest();

  /** Whether a model of version {@code modelVersion} is stored. */
  boolean exists(String modelVersion);

  /** Stores the model file of version {@code modelVersion}; returns what was stored. */
  StoredModel put(String modelVersion, byte[] bytes);

  /** The stored bytes of version {@code modelVersion}, as the store gives them back. */
  byte[] read(String modelVersion);

  /**
   * Puts version {@code modelVersion} in service: one server-side copy over latest, which replaces
   * latest whole or not at all. Returns the new latest.
   */
  StoredModel promote(String modelVersion);

  /** Removes version {@code modelVersion} (a model that was written but never promoted). */
  void delete(String modelVersion);

  /** Where {@code key} lives, as recorded in the runs table ({@code s3://bucket/key}). */
  String location(String key);
}
