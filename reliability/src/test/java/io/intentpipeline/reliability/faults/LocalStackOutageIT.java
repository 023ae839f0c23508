package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.stack.LocalStack;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Events;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL down under the local stack itself ({@code ./pipeline serve}): its HTTP API, its
 * functions and its own SQS event source poller (template.yaml's batch size and redrive policy,
 * visibility timeouts capped at 2 s), with the database reached through a {@link TcpProxy}.
 * Interactions posted while the database is down are accepted (202), stay in the queue through
 * the failed flushes, and are each stored exactly once after it comes back.
 */
class LocalStackOutageIT {
  @Test
  void interactionsPostedWhilePostgresIsDownAreStoredOnceWhenItComesBack() throws Exception {
    Path data = Files.createTempDirectory("stack-outage");
    try (FreshDatabase database = PostgresServer.shared().createDatabase("stackoutage");
         TcpProxy proxy = TcpProxy.to(URI.create(database.jdbcUrl().substring("jdbc:".length())))) {
      LocalStack.Options options = LocalStack.Options.defaults(Events.projectRoot()).fast().withDataDir(data)
          .withSchedules(LocalStack.Schedules.OFF);
      options = options.withValues(Map.of("RetrainThreshold", "1000000"), Map.of());
      Database.Settings viaProxy = new Database.Settings(proxy.jdbcUrl(database.jdbcUrl()), database.user(),
          database.password(), 4);
      try (LocalStack stack = LocalStack.start(options, viaProxy)) {
        HttpClient http = HttpClient.newHttpClient();
        String queue = stack.queueUrl("InteractionsQueue");
        String dlq = stack.queueUrl("InteractionsDeadLetterQueue");
        List<String> ids = new ArrayList<>();

        proxy.down();
        for (int request = 0; request < 10; request++) {
          ArrayNode items = Json.MAPPER.createArrayNode();
          FaultStack.interactions("stack-down-" + request, 20, request).forEach(items::add);
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/ai/training/interactions"))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.MAPPER.createObjectNode().set("interactions", items))))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
          Json.parseBody(answer.body()).path("interaction_ids").forEach(id -> ids.add(id.asText()));
        }
        // Several flushes fail and the messages come back (2 s visibility): 3 s is fewer than 5 receives.
        int refusedBefore = proxy.refused();
        Thread.sleep(3_000);
        assertThat(proxy.refused()).as("flushes tried the database").isGreaterThan(refusedBefore);
        assertThat(rows(database)).isZero();
        assertThat(EventSourceMapping.count(stack.sqs(), queue)).isEqualTo(200);
        assertThat(EventSourceMapping.count(stack.sqs(), dlq)).isZero();

        proxy.resume();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rows(database) < 200 || EventSourceMapping.count(stack.sqs(), queue) > 0) {
          assertThat(System.nanoTime()).as("all stored within 30 s").isLessThan(deadline);
          Thread.sleep(200);
        }
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT interaction_id, count(*) FROM ai_training_data GROUP BY 1")) {
          List<String> stored = new ArrayList<>();
          while (rs.next()) {
            assertThat(rs.getInt(2)).as("rows of " + rs.getString(1)).isEqualTo(1);
            stored.add(rs.getString(1));
          }
          assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
        }
        assertThat(EventSourceMapping.count(stack.sqs(), dlq)).isZero();
      }
    } finally {
      try (var paths = Files.walk(data)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long rows(FreshDatabase database) throws Exception {
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM ai_training_data")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
