package io.intentpipeline.http;

import java.util.Optional;

/**
 * A failure the caller must see as an HTTP error: a status, a stable machine-readable code, a
 * message for people and, for bad input, the field at fault.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  public ApiException(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** 400: {@code field} is missing or wrong; {@code message} says what is expected. */
  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, "invalid_request", message, field);
  }

  /** 404: the thing asked for does not exist. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, null);
  }

  /** 409: the request conflicts with the current state. */
  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message, null);
  }

  /** 503: a dependency is unavailable; the caller should retry later. */
  public static ApiException unavailable(String code, String message) {
    return new ApiException(503, code, message, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
