/**
 * Integration tests of the SQL in {@code db/}: the tables' constraints, the functions
 * ({@code get_ai_training_metrics}, {@code get_training_dataset}, {@code submit_intent_correction},
 * {@code create_metrics_snapshot}) and the review trigger, each against a fresh PostgreSQL database.
 */
package io.intentpipeline.db;
