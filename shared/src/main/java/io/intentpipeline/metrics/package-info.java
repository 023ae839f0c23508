/**
 * The metrics an admin watches: live figures over a window and the alerts they raise (the
 * seed's thresholds), frozen snapshots per hour, day, week or month and their history, per-intent
 * performance beside the deployed model's, and the dataset's statistics.
 *
 * <p>Used by: the snapshot function: {@link io.intentpipeline.metrics.MetricsService} and its request
 * and answer records.
 */
package io.intentpipeline.metrics;
