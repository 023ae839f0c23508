package io.intentpipeline.interaction;

import io.intentpipeline.validation.InvalidRequestException;

/**
 * An interaction (or a request holding interactions) is not acceptable. {@link #field()} names
 * the field at fault as a path, e.g. {@code interactions[3].confidence_score}; the message says
 * what is expected and never repeats the value (it may be a user's personal data).
 */
public final class InvalidInteractionException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** {@code field} is the path of the field at fault; {@code message} says what is expected. */
  public InvalidInteractionException(String field, String message) {
    super(field, message);
  }
}
