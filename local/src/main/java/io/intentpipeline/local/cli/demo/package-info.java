/**
 * The guided demo of {@code ./pipeline demo}: the bundled shop data set
 * ({@code src/main/resources/demo/}), simulated live traffic, and the run that drives a started
 * local stack over HTTP through record, flush, train, predict and correction. Used by the
 * {@code demo} command of {@code local.cli}; the local stack's tests may use {@code DemoDataset} and
 * {@code LiveTraffic} to drive a stack. It depends on nothing of {@code local} but the HTTP API.
 */
package io.intentpipeline.local.cli.demo;
