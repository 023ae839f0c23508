/**
 * The train function: one training run at a time, from the nightly schedule, the retrain queue,
 * {@code POST /ai/training/run} (queued, 202) or an operator's direct invocation; {@code GET
 * /ai/training/runs}; migrations at deploy time.
 *
 * <p>The handler class ({@code *Handler}, named in {@code template.yaml}) only classifies the
 * invocation and hands it to one class per trigger; the logic lives in {@code shared}. Nothing here is
 * used by another module except the handler's public constructors (tests, the local stack).
 */
package io.intentpipeline.train;
