package io.intentpipeline.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code error} object of an error body: a stable code, a message, the field at fault if any. */
public record ApiError(String code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String field) {
  /** An error about no field in particular. */
  public static ApiError of(String code, String message) {
    return new ApiError(code, message, null);
  }
}
