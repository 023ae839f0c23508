package io.intentpipeline.local.stack;

/** A local invocation failed: the handler threw, or ran past its timeout. */
final class InvocationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;
  private final String errorType;

  InvocationException(String errorType, String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.errorType = errorType;
    this.timedOut = timedOut;
  }

  /** The exception class, or {@code Sandbox.Timedout} as Lambda reports a timeout. */
  String errorType() {
    return errorType;
  }

  boolean timedOut() {
    return timedOut;
  }
}
