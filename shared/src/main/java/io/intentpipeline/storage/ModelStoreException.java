package io.intentpipeline.storage;

/** The model or artifact store could not do what was asked; the message names the object, never its contents. */
public final class ModelStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure saying what could not be done to which object ({@code cause} may be null). */
  public ModelStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
