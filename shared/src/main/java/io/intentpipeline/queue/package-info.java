/**
 * The two SQS queues as the code sees them: the interactions queue
 * ({@link io.intentpipeline.queue.InteractionPublisher}: batched sends with retries) and the retrain
 * queue ({@link io.intentpipeline.queue.RetrainQueue}); a queue that stays unavailable is a
 * {@link io.intentpipeline.queue.QueueUnavailableException}.
 *
 * <p>Used by: ingest, the record, flush and train functions.
 */
package io.intentpipeline.queue;
