/**
 * Test fixtures shared by every module through shared's test-jar: the embedded stack of real servers
 * ({@link io.intentpipeline.testing.TestStack}: PostgreSQL, SQS, S3), the event files of {@code events/}
 * ({@link io.intentpipeline.testing.Events}, {@link io.intentpipeline.testing.Invocations}), synthetic
 * training data, the shaded jars run in a fresh JVM, and in-memory twins of the stores for the fast
 * tier.
 */
package io.intentpipeline.testing;
