package io.intentpipeline.http;

import io.intentpipeline.validation.InvalidRequestException;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Optional;

/**
 * A failure the caller must see as an HTTP error: a status, a stable machine-readable code, a
 * message for people and, for bad input, the field at fault. Request types do not throw it for bad
 * input: they throw the transport-neutral {@link InvalidRequestException}, which the router (and
 * predict's own dispatch) turn into a 400 through {@link #badRequest(InvalidRequestException)}.
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

  /**
   * 400 {@code invalid_request}: the HTTP answer to a request type's {@link InvalidRequestException},
   * with its field and message. The one place where bad input becomes an HTTP status.
   */
  public static ApiException badRequest(InvalidRequestException e) {
    ApiException answer = new ApiException(400, "invalid_request", e.getMessage(), e.field());
    answer.initCause(e);
    return answer;
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
