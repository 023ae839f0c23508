/**
 * The predict function: {@code GET|POST /ai/training/predict} with the latest model, on a hand-
 * written path kept free of the SDK and Jackson for its cold start; primed before a SnapStart
 * snapshot.
 *
 * <p>The handler class ({@code *Handler}, named in {@code template.yaml}) only classifies the
 * invocation and hands it to one class per trigger; the logic lives in {@code shared}. Nothing here is
 * used by another module except the handler's public constructors (tests, the local stack).
 */
package io.intentpipeline.predict;
