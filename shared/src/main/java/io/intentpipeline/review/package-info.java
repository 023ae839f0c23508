/**
 * Human review: the pending-review queue, the audit sample first ({@link io.intentpipeline.review.ReviewReason})
 * then the rest in its orders ({@link io.intentpipeline.review.ReviewOrder}), filtered, paged by cursor
 * ({@link io.intentpipeline.review.PendingCursor}), and the classification errors, corrections through
 * {@code submit_intent_correction}, audited and marked as mismatches by the database's trigger, and
 * the re-scoring of the queue by a newly deployed model ({@link io.intentpipeline.review.QueueRescorer}).
 *
 * <p>Used by: the correction function: {@link io.intentpipeline.review.ReviewService} and its request
 * and answer records; the training pipeline: {@link io.intentpipeline.review.QueueRescorer} after a deploy.
 */
package io.intentpipeline.review;
