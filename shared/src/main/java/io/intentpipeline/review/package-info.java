/**
 * Human review: the pending-review queue and the classification errors (filtered, paged,
 * least confident first), and corrections through {@code submit_intent_correction}, audited and marked
 * as mismatches by the database's trigger.
 *
 * <p>Used by: the correction function: {@link io.intentpipeline.review.ReviewService} and its request
 * and answer records.
 */
package io.intentpipeline.review;
