package io.intentpipeline.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;

/**
 * An SQS server (ElasticMQ) in this JVM, speaking the AWS SQS protocols on a loopback port.
 * {@link #start} keeps messages in memory (tests); {@link #durable} also writes every queue and
 * message to an H2 database in a folder (ElasticMQ's own SQL persistence), before it answers the
 * send, so that what a caller was told is queued survives the process being killed.
 */
public final class EmbeddedSqs implements AutoCloseable {
  private static boolean durableOpen;

  private final SQSRestServer server;
  private final URI endpoint;
  private final ActorSystem system;

  private EmbeddedSqs(SQSRestServer server, int port, ActorSystem system) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.system = system;
  }

  /** Starts a server on a free port ({@code 0}) or the given one, its messages in memory. */
  public static EmbeddedSqs start(int requestedPort) {
    int port = requestedPort == 0 ? freePort() : requestedPort;
    SQSRestServer server = builder(port).start();
    int bound = server.waitUntilStarted().localAddress().getPort();
    return new EmbeddedSqs(server, bound, null);
  }

  /**
   * Starts a server whose queues and messages live in {@code folder} (an H2 database,
   * {@code queues.mv.db}): on start, the queues and messages stored there are back, with their
   * receive counts and visibility.
   */
  public static synchronized EmbeddedSqs durable(int requestedPort, Path folder) {
    if (durableOpen) {
      throw new IllegalStateException("One durable SQS server at a time in a JVM: ElasticMQ's SQL persistence"
          + " keeps its database in a JVM-wide connection pool");
    }
    int port = requestedPort == 0 ? freePort() : requestedPort;
    ActorSystem system = ActorSystem.create("elasticmq");
    try {
      // The H2 file is ElasticMQ's to shape. ElasticMQ opens its database once per JVM (scalikejdbc's
      // singleton pool); pointing that pool at this folder lets a later server (a restart in the
      // same JVM, the next test) use its own folder.
      // WRITE_DELAY=0: each commit is written to the file before ElasticMQ answers the send (H2
      // otherwise writes commits in the background, 500 ms later: a kill -9 lost the last ones).
      // RETENTION_TIME=0: H2 keeps no superseded chunks for 45 s (its default, a guard against a
      // disk reordering writes in a power cut, which a process crash is not); with a commit per
      // message those held ~0.7 KiB of heap per message sent (LocalStackLoadIT: +52 % over 30,000).
      String url = "jdbc:h2:" + folder.toAbsolutePath().resolve("queues") + ";WRITE_DELAY=0;RETENTION_TIME=0";
      Class.forName("org.h2.Driver");
      var pools = scalikejdbc.ConnectionPool$.MODULE$;
      var settings = pools.singleton$default$4();
      pools.singleton(url, "sa", "", settings, pools.singleton$default$5(url, "sa", "", settings));
      SqlQueuePersistenceConfig config = SqlQueuePersistenceConfig.apply(true, "org.h2.Driver", url, "sa", "", false);
      ActorRef persistence = system.actorOf(Props.create(SqlQueuePersistenceActor.class, config,
          scala.collection.immutable.List$.MODULE$.empty()));
      ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
          StrictSQSLimits$.MODULE$, scala.Option.apply(persistence)));
      // The stored queues and messages are put back before the first request is served.
      Patterns.ask(persistence, new QueueEvent.Restore(queues), Duration.ofSeconds(60))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      SQSRestServer server = builder(port).withActorSystem(system).withQueueManagerActor(queues).start();
      int bound = server.waitUntilStarted().localAddress().getPort();
      durableOpen = true;
      return new EmbeddedSqs(server, bound, system);
    } catch (Exception e) {
      system.terminate();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot start the SQS server with its queues in " + folder + ": " + e.getMessage(), e);
    }
  }

  private static TheSQSRestServerBuilder builder(int port) {
    // The port is chosen before binding so that the queue URLs ElasticMQ hands out carry it.
    return SQSRestServerBuilder
        .withInterface("127.0.0.1")
        .withPort(port)
        .withServerAddress(new org.elasticmq.NodeAddress("http", "127.0.0.1", port, ""))
        .withAWSRegion("us-east-1");
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
    if (system != null) {
      system.terminate();
      synchronized (EmbeddedSqs.class) {
        durableOpen = false;
      }
    }
  }
}
