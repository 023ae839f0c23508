package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.interaction.AuditSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Events;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit sample end to end, over the local stack's HTTP API with the project's template and its
 * {@code AuditShare} parameter: live interactions recorded and flushed are audited at the share,
 * by their ids; the review queue serves them first; once some are reviewed, the metrics give the
 * bot's live accuracy from them alone, with its interval, beside the seed's biased figure.
 */
class LiveAccuracyLoopIT {
  private static final int INTERACTIONS = 1000;
  private static final double SHARE = 0.1;

  @TempDir
  static Path dataDir;

  private static Set<String> audited(FreshDatabase database) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = database.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT interaction_id FROM ai_training_data WHERE review_reason = 'audit'")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static int stored(FreshDatabase database) {
    try (Connection c = database.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM ai_training_data")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every item of the review queue, walking its pages. */
  private static List<JsonNode> queue(Api api) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = api.get("/ai/training/pending-review?limit=200"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).json();
      page.path("items").forEach(items::add);
      cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
    } while (cursor != null);
    return items;
  }

  @Test
  void auditedAtTheShareReviewedFirstAndMeasuredApart() throws Exception {
    try (FreshDatabase database = PostgresServer.shared().createDatabase("liveaccuracy")) {
      var settings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 2);
      LocalStack.Options options = LocalStack.Options.defaults(Events.projectRoot()).withDataDir(dataDir).fast()
          .withSchedules(LocalStack.Schedules.OFF)
          .withValues(Map.of("AuditShare", String.valueOf(SHARE), "RetrainThreshold", "1000000"), Map.of());
      try (LocalStack stack = LocalStack.start(options, settings)) {
        Api api = new Api(stack.apiUrl());

        // Arrange: 1,000 live interactions, confidence 20-99, recorded in two requests and flushed
        List<Map<String, Object>> interactions = new ArrayList<>();
        for (int i = 0; i < INTERACTIONS; i++) {
          interactions.add(Map.of("interaction_id", "acc-" + i, "user_message", "where is my parcel " + i,
              "detected_intent", "acc_order_status", "confidence_score", 20 + i % 80));
        }
        for (int from = 0; from < INTERACTIONS; from += 500) {
          Api.Answer recorded = api.post("/ai/training/interactions",
              Json.write(Map.of("interactions", interactions.subList(from, from + 500))));
          assertThat(recorded.status()).as(recorded.text()).isEqualTo(202);
        }
        Api.await("1,000 stored interactions", Duration.ofSeconds(60), () -> {
          api.post("/ai/training/flush", "");
          return stored(database) == INTERACTIONS;
        });
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < INTERACTIONS; i++) {
          if (AuditSample.fraction("acc-" + i) < SHARE) {
            picked.add("acc-" + i);
          }
        }

        // Assert: exactly the ids the pick chooses, about a tenth
        assertThat(audited(database)).isEqualTo(picked);
        assertThat(picked.size()).isBetween(70, 130);

        // Act: the review queue
        List<JsonNode> queue = queue(api);

        // Assert: every stored interaction, the audited ones first, each saying why it is there
        assertThat(queue).hasSize(INTERACTIONS);
        List<JsonNode> head = queue.subList(0, picked.size());
        assertThat(head).allSatisfy(item -> assertThat(item.path("review_reason").asText()).isEqualTo("audit"));
        assertThat(head.stream().map(item -> item.path("interaction_id").asText()).toList())
            .containsExactlyInAnyOrderElementsOf(picked);
        assertThat(queue.subList(picked.size(), queue.size()))
            .allSatisfy(item -> assertThat(item.path("review_reason").asText()).isEqualTo("priority"));
        JsonNode onlyAudited = api.get("/ai/training/pending-review?reason=audit&limit=200").json();
        assertThat(onlyAudited.path("items")).hasSize(picked.size());

        // Act: a reviewer reviews 40 audited samples (the bot right on 30) and 20 of the least
        // confident others (the bot wrong on all: the hard cases the queue serves)
        for (int k = 0; k < 40; k++) {
          correct(api, head.get(k), k < 30 ? "acc_order_status" : "acc_refund_request");
        }
        for (JsonNode item : queue.subList(picked.size(), picked.size() + 20)) {
          correct(api, item, "acc_refund_request");
        }
        JsonNode metrics = api.get("/ai/training/metrics?hours=24").json();
        JsonNode snapshot = api.post("/ai/training/snapshot", "{\"period_type\": \"hourly\"}").json();

        // Assert: the seed's figure from all 60 reviews (30 right), the live accuracy from the 40
        // audited ones (30 right): 0.75 in the Wilson interval [0.5981, 0.8581]
        assertThat(metrics.path("reviewed").asInt()).isEqualTo(60);
        assertThat(metrics.path("intent_accuracy").decimalValue()).isEqualByComparingTo("50");
        assertThat(metrics.path("intent_accuracy_basis").asText()).contains("biased toward hard cases");
        JsonNode live = metrics.path("live_accuracy");
        assertThat(live.path("audited").asInt()).isEqualTo(picked.size());
        assertThat(live.path("audited_reviewed").asInt()).isEqualTo(40);
        assertThat(live.path("correct").asInt()).isEqualTo(30);
        assertThat(live.path("estimate").decimalValue()).isEqualByComparingTo("0.75");
        assertThat(live.path("low").decimalValue()).isEqualByComparingTo("0.5981");
        assertThat(live.path("high").decimalValue()).isEqualByComparingTo("0.8581");
        assertThat(live.path("basis").asText()).contains("audit sample");
        assertThat(api.get("/ai/training/pending-review?reason=audit&limit=200").json().path("items"))
            .hasSize(picked.size() - 40);
        // The on-demand snapshot freezes the last complete hour, before this test's traffic
        assertThat(snapshot.path("metrics").path("live_accuracy").path("audited").isInt()).as(snapshot.toString())
            .isTrue();
      }
    }
  }

  private static void correct(Api api, JsonNode item, String intent) {
    Api.Answer answer = api.post("/ai/training/correction", Json.write(Map.of(
        "training_data_id", item.path("id").asText(), "correct_intent", intent)));
    assertThat(answer.status()).as(answer.text()).isEqualTo(201);
  }
}
