/**
 * The reliability and security suite (issue 9): fuzzing of every entry point, injected faults,
 * and security checks. Figures are printed by the tests and collected in docs/RELIABILITY.md.
 */
package io.intentpipeline.reliability;
