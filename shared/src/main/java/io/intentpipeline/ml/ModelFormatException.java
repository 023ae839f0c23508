package io.intentpipeline.ml;

import java.io.IOException;

/** A model file that cannot be used: truncated, altered, not a model file, or of an unknown version. */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** {@code message} says what is wrong with the file. */
  public ModelFormatException(String message) {
    super(message);
  }
}
