package io.intentpipeline.local.bench;

import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.TopIntent;
import io.intentpipeline.storage.Database;
import java.io.StringReader;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Rows per second stored by the flush path (decode and check each queue message, one INSERT ...
 * SELECT FROM unnest per batch, the retrain check) beside plain COPY of the same rows into the
 * same table, batch for batch, in the same run. Each measured run starts from an empty table.
 */
final class FlushBenchmark {
  /** The medians for one batch size. */
  record Result(int batch, double flushRowsPerSecond, double copyRowsPerSecond) {
    double ratio() {
      return flushRowsPerSecond / copyRowsPerSecond;
    }
  }

  private static final String[] INTENTS = {"purchase_status", "refund_request", "cancel_subscription",
      "change_address", "human_handoff", "greeting", "duplicate_charge", "card_arrival", "exchange_rate"};
  private static final String[] WORDS = ("where is my order please I bought a phone three days ago and it has not "
      + "arrived yet can you check the card was charged twice refund cancel subscription address delivery").split(" ");
  private static final String COPY = "COPY ai_training_data (interaction_id, user_message, detected_intent, "
      + "confidence_score, ai_response, escalated, response_source, category, conversation_id, message_id, user_id, "
      + "top_intents, intent_margin, occurred_at, source) FROM STDIN";

  private final Database database;
  private final FlushService flush;

  FlushBenchmark(Database database, FlushService flush) {
    this.database = database;
    this.flush = flush;
  }

  /** Measures one batch size: {@code warmups} unmeasured then {@code trials} measured trials of each path. */
  Result measure(int batch, int rows, int warmups, int trials, long seed) throws SQLException {
    int perTrial = Math.max(batch, rows / batch * batch);
    double[] flushRates = new double[trials];
    double[] copyRates = new double[trials];
    for (int t = -warmups; t < trials; t++) {
      List<Interaction> interactions = interactions(perTrial, seed + t + 1000L * batch);
      List<String> bodies = interactions.stream().map(InteractionMessages::encode).toList();
      // Alternate which path goes first, so that drift of a shared machine hits both alike.
      double flushRate;
      double copyRate;
      if ((t & 1) == 0) {
        flushRate = timeFlush(bodies, batch);
        copyRate = timeCopy(interactions, batch);
      } else {
        copyRate = timeCopy(interactions, batch);
        flushRate = timeFlush(bodies, batch);
      }
      if (t >= 0) {
        flushRates[t] = flushRate;
        copyRates[t] = copyRate;
      }
    }
    return new Result(batch, median(flushRates), median(copyRates));
  }

  private double timeFlush(List<String> bodies, int batch) throws SQLException {
    truncate();
    long start = System.nanoTime();
    for (int from = 0; from < bodies.size(); from += batch) {
      List<FlushService.QueuedMessage> messages = new ArrayList<>(batch);
      for (int k = from; k < from + batch; k++) {
        messages.add(new FlushService.QueuedMessage("m-" + k, bodies.get(k)));
      }
      FlushService.BatchResult result = flush.storeBatch(messages);
      if (result.count(FlushService.Status.STORED) != batch) {
        throw new IllegalStateException("The flush path stored " + result.count(FlushService.Status.STORED)
            + " of " + batch + " rows");
      }
    }
    long elapsed = System.nanoTime() - start;
    verifyCount(bodies.size());
    return bodies.size() / (elapsed / 1e9);
  }

  private double timeCopy(List<Interaction> interactions, int batch) throws SQLException {
    truncate();
    long start = System.nanoTime();
    database.run(connection -> {
      var copy = connection.unwrap(PGConnection.class).getCopyAPI();
      for (int from = 0; from < interactions.size(); from += batch) {
        StringBuilder text = new StringBuilder(batch * 600);
        for (int k = from; k < from + batch; k++) {
          appendRow(text, interactions.get(k));
        }
        try {
          copy.copyIn(COPY, new StringReader(text.toString()));
        } catch (java.io.IOException e) {
          throw new SQLException("COPY failed: " + e.getMessage(), e);
        }
      }
      return null;
    });
    long elapsed = System.nanoTime() - start;
    verifyCount(interactions.size());
    return interactions.size() / (elapsed / 1e9);
  }

  private void truncate() throws SQLException {
    database.run(connection -> {
      try (Statement s = connection.createStatement()) {
        s.execute("TRUNCATE ai_training_data CASCADE");
      }
      return null;
    });
  }

  private void verifyCount(int expected) throws SQLException {
    long count = database.run(connection -> {
      try (Statement s = connection.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM ai_training_data")) {
        rs.next();
        return rs.getLong(1);
      }
    });
    if (count != expected) {
      throw new IllegalStateException("Expected " + expected + " rows in the table, found " + count);
    }
  }

  /** One row in COPY's text format. */
  static void appendRow(StringBuilder out, Interaction i) {
    field(out, i.interactionId()).append('\t');
    field(out, i.userMessage()).append('\t');
    field(out, i.detectedIntent()).append('\t');
    out.append(i.confidenceScore()).append('\t');
    field(out, i.aiResponse()).append('\t');
    out.append(i.escalated() ? 't' : 'f').append('\t');
    field(out, i.responseSource()).append('\t');
    field(out, i.category()).append('\t');
    field(out, i.conversationId() == null ? null : i.conversationId().toString()).append('\t');
    field(out, i.messageId() == null ? null : i.messageId().toString()).append('\t');
    field(out, i.userId() == null ? null : i.userId().toString()).append('\t');
    field(out, i.topIntents().isEmpty() ? null : topIntentsJson(i.topIntents())).append('\t');
    field(out, i.intentMargin().map(m -> Float.toString(m.floatValue())).orElse(null)).append('\t');
    field(out, i.occurredAt().toString()).append('\t');
    field(out, i.source()).append('\n');
  }

  private static String topIntentsJson(List<TopIntent> top) {
    StringBuilder json = new StringBuilder("[");
    for (TopIntent t : top) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"intent\":\"").append(t.intent()).append("\",\"confidence\":").append(t.confidence()).append('}');
    }
    return json.append(']').toString();
  }

  private static StringBuilder field(StringBuilder out, String value) {
    if (value == null) {
      return out.append("\\N");
    }
    for (int k = 0; k < value.length(); k++) {
      char c = value.charAt(k);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out;
  }

  /** Realistic interactions: sentences of 8-30 words, answers of 20-60, three alternatives. */
  static List<Interaction> interactions(int n, long seed) {
    Random random = new Random(seed);
    List<Interaction> list = new ArrayList<>(n);
    Instant base = Instant.parse("2026-11-27T00:00:00Z");
    for (int k = 0; k < n; k++) {
      String intent = INTENTS[random.nextInt(INTENTS.length)];
      double top = 0.4 + 0.6 * random.nextDouble();
      double second = (1 - top) * random.nextDouble();
      list.add(new Interaction("bench-" + seed + "-" + k, sentence(random, 8 + random.nextInt(23)), intent,
          (int) Math.round(top * 100), sentence(random, 20 + random.nextInt(41)), random.nextInt(8) == 0,
          random.nextBoolean() ? "faq" : "llm", "support",
          new UUID(random.nextLong(), random.nextLong()), new UUID(random.nextLong(), random.nextLong()),
          new UUID(random.nextLong(), random.nextLong()),
          List.of(new TopIntent(intent, top), new TopIntent("greeting", second), new TopIntent("human_handoff", 0.01)),
          base.plusSeconds(random.nextInt(86_400)), "live"));
    }
    return list;
  }

  private static String sentence(Random random, int words) {
    StringBuilder text = new StringBuilder();
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        text.append(' ');
      }
      text.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.append('.').toString();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
