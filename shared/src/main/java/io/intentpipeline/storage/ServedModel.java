package io.intentpipeline.storage;

import io.intentpipeline.log.Log;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which model predict serves: the version recorded on {@link ModelStore#LATEST_KEY} itself, read
 * with one HEAD (no download). Every deploy writes the timestamped object with its version as
 * metadata ({@link S3ModelStore#put}) and copies it over latest, which keeps the metadata; so does
 * an admin's rollback ({@code aws s3 cp} of an older object over latest). Metrics and intent
 * performance describe that model rather than the newest deployed run.
 */
public final class ServedModel {
  /** The object metadata key ({@code x-amz-meta-model-version}) holding a model object's version. */
  public static final String VERSION_METADATA = "model-version";

  private final Supplier<S3Client> s3;
  private final String bucket;

  /** Reads latest of {@code bucket} through {@code s3} (built on first use). */
  public ServedModel(Supplier<S3Client> s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * The version of the model in latest; empty when there is none, when it carries no version
   * (a model deployed before versions were recorded) or when S3 cannot say (then the callers
   * describe the newest deployed run, as before).
   */
  public Optional<String> version() {
    try {
      return Optional.ofNullable(s3.get().headObject(b -> b.bucket(bucket).key(ModelStore.LATEST_KEY))
          .metadata().get(VERSION_METADATA)).filter(v -> !v.isBlank());
    } catch (SdkException e) {
      Log.warn("served_model_unknown", "key", ModelStore.LATEST_KEY, "exception", e.getClass().getSimpleName());
      return Optional.empty();
    }
  }
}
