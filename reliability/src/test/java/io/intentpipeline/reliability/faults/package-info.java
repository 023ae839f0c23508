/**
 * Injected faults, end to end against real servers: duplicate and poison messages, PostgreSQL
 * down or its connections cut (through {@link io.intentpipeline.reliability.faults.TcpProxy}), S3
 * failing, a corrupt model, concurrent and crashing training runs, a deploy racing a rollback. The
 * flush function is driven as Lambda's SQS event source mapping drives it
 * ({@link io.intentpipeline.reliability.faults.EventSourceMapping}). See docs/RELIABILITY.md.
 */
package io.intentpipeline.reliability.faults;
