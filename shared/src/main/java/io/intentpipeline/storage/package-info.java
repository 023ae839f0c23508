/**
 * Where state lives: PostgreSQL over plain JDBC ({@link io.intentpipeline.storage.Database}, one
 * connection per container; the {@link io.intentpipeline.storage.Migrations} of {@code db/}; the login
 * from a secret), the interactions table ({@link io.intentpipeline.storage.InteractionStore}), the
 * automatic retrain state, statements with bound parameters only
 * ({@link io.intentpipeline.storage.SqlQuery}), and S3 for models and artifacts behind two small
 * interfaces ({@link io.intentpipeline.storage.ModelStore}, {@link
 * io.intentpipeline.storage.ArtifactStore};
 * {@link io.intentpipeline.storage.S3ModelStore} is the real one).
 *
 * <p>Used by: every domain package that reads or writes; the functions' wiring.
 */
package io.intentpipeline.storage;
