/**
 * Bad input, independent of the transport that carried it. Request types throw
 * {@link io.intentpipeline.validation.InvalidRequestException} (field path and message, never the
 * value); each transport maps it once: {@code http.Router} (and predict's own dispatch) to a 400
 * {@code invalid_request}, {@code lambda.InvocationInput} to a failed invocation.
 *
 * <p>Used by: every request type throws it; only those two mappers catch it.
 */
package io.intentpipeline.validation;
