/**
 * The record function: {@code POST /ai/training/interactions} checks one interaction or a batch
 * and sends it to the interactions queue (202 with the ids; 400 naming the field; 503 when the
 * queue stays unavailable).
 *
 * <p>The handler class ({@code *Handler}, named in {@code template.yaml}) only classifies the
 * invocation and hands it to one class per trigger; the logic lives in {@code shared}. Nothing here is
 * used by another module except the handler's public constructors (tests, the local stack).
 */
package io.intentpipeline.record;
