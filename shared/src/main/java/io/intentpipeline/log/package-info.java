/**
 * Structured logs: one JSON object per line on standard output, which Lambda ships to
 * CloudWatch. Fields are ids, counts and codes, never users' message texts (a canary test checks it).
 *
 * <p>Used by: {@link io.intentpipeline.log.Log}, everywhere.
 */
package io.intentpipeline.log;
