/**
 * The AWS clients, built the way a Lambda function wants them: the url-connection HTTP client,
 * settings from the runtime's variables, emulator endpoints ({@code AWS_ENDPOINT_URL_*}) for tests and
 * the local stack; a streamed multipart S3 upload; one signed Secrets Manager call instead of the SDK's
 * client (fewer classes on a cold start).
 *
 * <p>Used by: the functions' wiring, storage, transfer and the local stack.
 */
package io.intentpipeline.aws;
