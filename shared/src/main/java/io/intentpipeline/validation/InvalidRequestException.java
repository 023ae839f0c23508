package io.intentpipeline.validation;

/**
 * A request is not acceptable, whatever carried it (an HTTP body or query, a schedule's input, a
 * direct invocation, a queue message): {@link #field()} names the field at fault as a path, e.g.
 * {@code interactions[3].confidence_score} or {@code detail.min_confidence}; the message says what
 * is expected and never repeats the value (it may be a user's personal data).
 *
 * <p>Request types throw it; each transport maps it once: the HTTP router to a 400
 * {@code invalid_request} naming the field, {@link io.intentpipeline.lambda.InvocationInput} to a
 * failed invocation naming the field.
 */
public class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /** {@code field} is the path of the field at fault; {@code message} says what is expected. */
  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = java.util.Objects.requireNonNull(field, "field");
  }

  /** The path of the field at fault. */
  public String field() {
    return field;
  }
}
