package io.intentpipeline.http;

/**
 * The {@code {"code", "message"}} error object of an answer that carries more beside it (a 409's
 * running run, a 503's interaction ids); plain errors go through {@link ApiResponses#error}.
 */
public record ApiError(String code, String message) {}
