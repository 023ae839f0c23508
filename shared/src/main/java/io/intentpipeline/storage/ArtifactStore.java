package io.intentpipeline.storage;

/** Where a training run leaves what it produced besides the model: dataset snapshots and reports. */
public interface ArtifactStore {
  /** Stores {@code bytes} under {@code key}; returns its location ({@code s3://bucket/key}). */
  String put(String key, byte[] bytes, String contentType);

  /** The bytes under {@code key}; throws {@link ModelStoreException} when absent or unreadable. */
  byte[] get(String key);
}
