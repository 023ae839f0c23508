/**
 * Checks of what is deployed, not of a package of {@code local}: {@code template.yaml} against the
 * handlers' code, the README and {@code events/} ({@code DeployChecksTest}, {@code AllEventsIT}), and
 * against {@code cfn-lint} ({@code TemplateLintIT}). They live here because {@code local} depends on
 * every function.
 */
package io.intentpipeline.local.deploy;
