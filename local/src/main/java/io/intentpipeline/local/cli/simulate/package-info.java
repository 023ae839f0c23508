/**
 * {@code ./pipeline simulate}: a labelled corpus replayed day by day as live traffic through a
 * local stack's HTTP API, a simulated reviewer, the nightly run and its gate, and the deployed
 * model scored on a gold test file after each day.
 */
package io.intentpipeline.local.cli.simulate;
