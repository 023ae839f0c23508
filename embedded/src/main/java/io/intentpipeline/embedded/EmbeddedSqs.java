package io.intentpipeline.embedded;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** An SQS server (ElasticMQ) in this JVM, speaking the AWS SQS protocols on a loopback port. */
public final class EmbeddedSqs implements AutoCloseable {
  private final SQSRestServer server;
  private final URI endpoint;

  private EmbeddedSqs(SQSRestServer server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts a server on a free port ({@code 0}) or the given one. */
  public static EmbeddedSqs start(int requestedPort) {
    // The port is chosen before binding so that the queue URLs ElasticMQ hands out carry it.
    int port = requestedPort == 0 ? freePort() : requestedPort;
    SQSRestServer server = SQSRestServerBuilder
        .withInterface("127.0.0.1")
        .withPort(port)
        .withServerAddress(new org.elasticmq.NodeAddress("http", "127.0.0.1", port, ""))
        .withAWSRegion("us-east-1")
        .start();
    int bound = server.waitUntilStarted().localAddress().getPort();
    return new EmbeddedSqs(server, bound);
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("No free loopback port", e);
    }
  }

  /** The endpoint to give the AWS SDK ({@code endpointOverride}). */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
