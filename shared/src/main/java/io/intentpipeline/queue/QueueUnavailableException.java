package io.intentpipeline.queue;

/** SQS could not take (or give) messages even after retries; the caller should retry later. */
public final class QueueUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code message} says what could not be sent or received; it never holds message bodies. */
  public QueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
