/**
 * One chatbot interaction, checked at the door:
 * {@link io.intentpipeline.interaction.InteractionReader} turns a request body into
 * {@link io.intentpipeline.interaction.Interaction}s (everything the database would refuse is refused
 * here, naming the field), {@link io.intentpipeline.interaction.InteractionMessages} encodes and
 * decodes
 * the interactions queue's message (version 1), and {@link io.intentpipeline.interaction.TextRules}
 * says
 * what any stored or classified text must be.
 *
 * <p>Used by: ingest (record, flush), storage, serving (the text rules).
 */
package io.intentpipeline.interaction;
