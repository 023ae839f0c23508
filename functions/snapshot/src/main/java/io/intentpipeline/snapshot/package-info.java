/**
 * The snapshot function: metrics snapshots on schedules and on demand, live metrics and their
 * history, intent performance, dataset statistics, dataset export and import.
 *
 * <p>The handler class ({@code *Handler}, named in {@code template.yaml}) only classifies the
 * invocation and hands it to one class per trigger; the logic lives in {@code shared}. Nothing here is
 * used by another module except the handler's public constructors (tests, the local stack).
 */
package io.intentpipeline.snapshot;
