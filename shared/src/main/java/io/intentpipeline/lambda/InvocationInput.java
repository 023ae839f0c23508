package io.intentpipeline.lambda;

import io.intentpipeline.log.Log;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.function.Supplier;

/**
 * Bad input of an invocation that has no HTTP status to answer with (a schedule's input, a direct
 * invocation by an operator): the one place where an {@link InvalidRequestException} becomes a
 * failed invocation. The log line and the error both name the field, never the value.
 */
public final class InvocationInput {
  private InvocationInput() {}

  /**
   * The request {@code read} builds; when it throws {@link InvalidRequestException}, logs
   * {@code rejectedEvent} with the field and fails the invocation with an
   * {@link IllegalArgumentException} whose message ends with {@code (field <path>)}.
   */
  public static <T> T read(String rejectedEvent, Supplier<T> read) {
    try {
      return read.get();
    } catch (InvalidRequestException e) {
      Log.error(rejectedEvent, "field", e.field());
      throw new IllegalArgumentException(e.getMessage() + " (field " + e.field() + ")", e);
    }
  }
}
