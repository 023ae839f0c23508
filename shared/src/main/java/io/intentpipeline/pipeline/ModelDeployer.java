package io.intentpipeline.pipeline;

import io.intentpipeline.log.Log;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.ModelStoreException;
import io.intentpipeline.storage.StoredModel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Deploys a model: writes {@code models/intent_classifier_YYYYMMDD_HHMMSS.model}, reads it back and
 * checks it (same bytes, and the model codec accepts it: checksum and structure), then copies it
 * over {@code models/intent_classifier_latest.model} in one server-side copy.
 *
 * <p>Latest is only ever replaced whole, by that copy: whatever fails before it leaves latest as
 * it was, and the timestamped object that never went into service is removed again (best effort).
 * A copy whose answer is lost is recognised by reading latest back.
 */
final class ModelDeployer {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
  /** How many later seconds are tried when the version of this second is taken already. */
  private static final int VERSION_TRIES = 120;

  /** A deployed model: its version, key, location, size and SHA-256 (hex). */
  record Deployed(String version, String key, String location, int bytes, String sha256) {}

  /** The model as encoded for a version: the file's bytes and their SHA-256 (hex). */
  record Encoded(String version, byte[] bytes, String sha256) {}

  private final ModelStore store;

  ModelDeployer(ModelStore store) {
    this.store = store;
  }

  /**
   * Chooses a version not yet in the store, {@code intent_classifier_<at>} or a second later, and
   * encodes {@code model} under it with its run id and metrics.
   */
  Encoded encode(IntentModel model, String runId, String metricsJson, Instant at) {
    for (int i = 0; i < VERSION_TRIES; i++) {
      String version = "intent_classifier_" + STAMP.format(at.plusSeconds(i));
      if (!store.exists(version)) {
        byte[] bytes = ModelCodec.write(model.withMetadata(model.metadata().withRun(runId, version).withMetrics(metricsJson)));
        return new Encoded(version, bytes, sha256(bytes));
      }
    }
    throw new ModelStoreException("no free model version within " + VERSION_TRIES + " s of " + at, null);
  }

  /** Encodes without looking at the store (a model that will not be deployed): version {@code intent_classifier_<at>}. */
  static Encoded encodeOnly(IntentModel model, String runId, String metricsJson, Instant at) {
    String version = "intent_classifier_" + STAMP.format(at);
    byte[] bytes = ModelCodec.write(model.withMetadata(model.metadata().withRun(runId, version).withMetrics(metricsJson)));
    return new Encoded(version, bytes, sha256(bytes));
  }

  /** Writes, verifies and promotes {@code encoded}; on any failure latest is as it was and this throws. */
  Deployed deploy(Encoded encoded) {
    String version = encoded.version();
    StoredModel written = store.put(version, encoded.bytes());
    try {
      byte[] back = store.read(version);
      if (!Arrays.equals(back, encoded.bytes())) {
        throw new ModelStoreException("verification failed: " + store.location(written.key())
            + " reads back " + back.length + " bytes that differ from the " + encoded.bytes().length + " written", null);
      }
      try {
        ModelCodec.read(back);
      } catch (ModelFormatException e) {
        throw new ModelStoreException("verification failed: " + store.location(written.key()) + ": " + e.getMessage(), e);
      }
      try {
        store.promote(version);
      } catch (ModelStoreException e) {
        if (!latestIs(encoded)) {
          throw e;
        }
        Log.warn("model_promote_answer_lost", "version", version);
      }
    } catch (RuntimeException e) {
      removeQuietly(version);
      throw e;
    }
    return new Deployed(version, written.key(), store.location(written.key()), encoded.bytes().length, encoded.sha256());
  }

  /** Whether latest holds exactly {@code encoded} (a copy that succeeded although its answer was lost). */
  private boolean latestIs(Encoded encoded) {
    try {
      Optional<StoredModel> latest = store.latest();
      return latest.isPresent() && Arrays.equals(latest.get().bytes(), encoded.bytes());
    } catch (ModelStoreException e) {
      return false;
    }
  }

  private void removeQuietly(String version) {
    try {
      store.delete(version);
    } catch (ModelStoreException e) {
      Log.warn("model_cleanup_failed", "version", version, "reason", e.getMessage());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
