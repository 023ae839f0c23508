package io.intentpipeline.local.stack;

/** The template cannot be served locally: the message names the resource and property at fault. */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message}. */
  public TemplateException(String message) {
    super(message);
  }

  TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
