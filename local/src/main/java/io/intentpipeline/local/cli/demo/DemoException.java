package io.intentpipeline.local.cli.demo;

/** A step of the demo did not get the answer it needs; the message says which and what came. */
public final class DemoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public DemoException(String message) {
    super(message);
  }
}
