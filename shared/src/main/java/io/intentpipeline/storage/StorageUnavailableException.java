package io.intentpipeline.storage;

/**
 * S3 is out of reach or failing on its side (a 5xx or a throttle) for an export; the caller should
 * retry later. The HTTP route answers it with a 503 {@code storage_unavailable}.
 */
public final class StorageUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code message} says what is unavailable, for the caller; {@code cause} is the client's failure. */
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
