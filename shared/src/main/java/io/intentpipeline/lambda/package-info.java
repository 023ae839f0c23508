/**
 * The Lambda side of a handler: reading an invocation's JSON into a
 * {@link io.intentpipeline.lambda.LambdaEvent} (HTTP API, SQS batch, schedule, direct invocation),
 * writing responses, and {@link io.intentpipeline.lambda.InvocationInput}, which turns bad input of a
 * schedule or a direct invocation into a failed invocation naming the field.
 *
 * <p>Used by: the functions' handlers and trigger classes, the local stack.
 */
package io.intentpipeline.lambda;
