/**
 * Real servers in the JVM, for the tests and the local stack: an SQS server (ElasticMQ) and an S3
 * server (S3Proxy) that speak the AWS wire protocols on free loopback ports, and a fresh PostgreSQL
 * database per test class ({@link io.intentpipeline.embedded.FreshDatabase}) on the server the
 * environment names or an embedded one. Never deployed to Lambda.
 *
 * <p>Used by: the tests of every module, the local stack, the benchmarks.
 */
package io.intentpipeline.embedded;
