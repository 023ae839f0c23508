/**
 * The flush function: stores SQS batches of the interactions queue in PostgreSQL, idempotently,
 * reporting poison messages as batch item failures; {@code POST /ai/training/flush} drains the
 * queue now; asks for a retrain once enough new samples arrived.
 *
 * <p>The handler class ({@code *Handler}, named in {@code template.yaml}) only classifies the
 * invocation and hands it to one class per trigger; the logic lives in {@code shared}. Nothing here is
 * used by another module except the handler's public constructors (tests, the local stack).
 */
package io.intentpipeline.flush;
