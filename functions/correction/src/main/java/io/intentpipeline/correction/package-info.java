/**
 * The correction function: {@code POST /ai/training/correction}, {@code GET /ai/training/pending-
 * review} and {@code GET /ai/training/errors}, over the review package.
 *
 * <p>The handler class ({@code *Handler}, named in {@code template.yaml}) only classifies the
 * invocation and hands it to one class per trigger; the logic lives in {@code shared}. Nothing here is
 * used by another module except the handler's public constructors (tests, the local stack).
 */
package io.intentpipeline.correction;
