/**
 * Bad input for every entry point, generated from one seed ({@link io.intentpipeline.reliability.fuzz.Fuzz}):
 * each input is answered with a 2xx, a 4xx naming the problem, a batch item failure or the file's format
 * error, never a 5xx; afterwards every stored row equals an accepted input. {@code -Dfuzz.seed=random}
 * explores, {@code -Dfuzz.seed=N} replays. See docs/RELIABILITY.md.
 */
package io.intentpipeline.reliability.fuzz;
