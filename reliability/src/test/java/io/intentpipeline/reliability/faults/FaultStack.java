package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.config.Env;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.json.Json;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The real servers of one faults test class: a {@link TestStack} whose interactions queue has the
 * template's redrive policy, a {@link TcpProxy} in front of its PostgreSQL database, and the
 * environment the functions read with {@code DATABASE_URL} pointing at the proxy. The test's own
 * checks read the database directly, never through the proxy.
 */
final class FaultStack implements AutoCloseable {
  /** Visibility timeout of the event source's receives here, instead of the template's minutes. */
  static final int VISIBILITY_SECONDS = 2;

  final TemplateFacts.Ingestion template = TemplateFacts.ingestion();
  final TestStack stack;
  final TcpProxy database;
  private final Map<String, String> env;

  FaultStack(String label) {
    stack = TestStack.create(label, template.maxReceiveCount());
    String url = stack.envVars().get("DATABASE_URL");
    database = TcpProxy.to(URI.create(url.substring("jdbc:".length())));
    env = new HashMap<>(stack.envVars());
    env.put("DATABASE_URL", database.jdbcUrl(url));
  }

  /** The functions' environment: every server of the stack, PostgreSQL through the proxy. */
  Env env() {
    return Env.of(env);
  }

  /** {@link #env()} with {@code extra} variables. */
  Env env(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(extra);
    return Env.of(all);
  }

  /** A new flush function container (its own database connection), as Lambda starts one. */
  FlushHandler flushContainer() {
    return new FlushHandler(env());
  }

  /** A record function container. */
  RecordHandler recordContainer() {
    return new RecordHandler(env());
  }

  /** The event source mapping of the interactions queue, with the template's batch size. */
  EventSourceMapping interactionsSource() {
    return interactionsSource(VISIBILITY_SECONDS);
  }

  /** The same with a visibility timeout of {@code seconds}. */
  EventSourceMapping interactionsSource(int seconds) {
    return new EventSourceMapping(stack.sqs(), stack.interactionsQueueUrl(), template.batchSize(), seconds);
  }

  /** {@code count} interactions with the orchestrator's ids ({@code prefix-k}), seeded. */
  static List<ObjectNode> interactions(String prefix, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] intents = {"order_status", "refund_request", "cancel_order", "greeting", "human_handoff"};
    String[] words = {"where", "is", "my", "order", "refund", "please", "card", "¿dónde", "está", "pedido", "\uD83D\uDCE6"};
    List<ObjectNode> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      StringBuilder text = new StringBuilder("msg " + k);
      for (int w = random.nextInt(8); w >= 0; w--) {
        text.append(' ').append(words[random.nextInt(words.length)]);
      }
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("interaction_id", prefix + "-" + k);
      n.put("user_message", text.toString());
      n.put("detected_intent", intents[random.nextInt(intents.length)]);
      n.put("confidence_score", random.nextInt(101));
      n.put("escalated", random.nextInt(5) == 0);
      out.add(n);
    }
    return out;
  }

  /** Posts {@code items} in one request to the record function; returns the ids it answered. */
  static List<String> post(RecordHandler record, List<ObjectNode> items) {
    ArrayNode array = Json.MAPPER.createArrayNode().addAll(items);
    String body = items.size() == 1 ? Json.write(items.get(0))
        : Json.write(Json.MAPPER.createObjectNode().set("interactions", array));
    var answer = Invocations.http(record, "POST", "/ai/training/interactions", Map.of(), body);
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
    List<String> ids = new ArrayList<>();
    answer.body().path("interaction_ids").forEach(id -> ids.add(id.asText()));
    assertThat(ids).hasSize(items.size());
    return ids;
  }

  /** Stored rows by interaction id: how many rows each id has. */
  Map<String, Integer> storedCopies() throws SQLException {
    Map<String, Integer> copies = new HashMap<>();
    try (Connection c = stack.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT interaction_id, count(*) FROM ai_training_data GROUP BY interaction_id")) {
      while (rs.next()) {
        copies.put(rs.getString(1), rs.getInt(2));
      }
    }
    return copies;
  }

  /** Runs {@code sql} directly (not through the proxy). */
  void sql(String sql) throws SQLException {
    try (Connection c = stack.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The single long value {@code sql} answers, read directly. */
  long value(String sql, Object... parameters) throws SQLException {
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Sessions of other clients on this test's database (through the proxy or not). */
  long sessionsOf(String applicationNamePrefix) throws SQLException {
    return value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND application_name LIKE ? AND pid <> pg_backend_pid()", applicationNamePrefix + "%");
  }

  /** Empties the table and the queues between tests. */
  void reset() throws SQLException {
    database.resume();
    sql("TRUNCATE ai_training_data CASCADE");
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.interactionsQueueUrl()));
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.interactionsDlqUrl()));
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.retrainQueueUrl()));
  }

  @Override
  public void close() {
    database.close();
    stack.close();
  }
}
