/**
 * Configuration from environment variables, read once at start-up: a missing or malformed
 * variable fails at once with a {@link io.intentpipeline.config.ConfigException} naming it.
 *
 * <p>Used by: {@link io.intentpipeline.config.Env} (the functions' wiring, the local stack) and its
 * exception.
 */
package io.intentpipeline.config;
