package io.intentpipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.ShadedJar;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployable jar alone, in a fresh JVM, with only the function's environment: metrics, an
 * import, and an export whose URL downloads the file (the S3 client and presigner survive the
 * jar's minimisation).
 */
class SnapshotJarIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("snapshotjar");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void theShadedJarServesMetricsImportAndExportWithNothingElseOnItsClassPath() throws Exception {
    // Arrange
    ShadedJar jar = ShadedJar.of("snapshot-function");
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(Row.detected("card_arrival").message("live one").confidence(90)
          .at(Instant.parse("2026-02-01T00:00:00Z"))));
    }
    List<String> events = List.of(
        Invocations.eventText("snapshot-metrics.json"),
        Invocations.eventText("snapshot-dataset-import.json"),
        Invocations.eventText("snapshot-dataset-export.json"),
        Invocations.eventText("snapshot-dataset-export.invalid.json"));

    // Act
    List<String> responses = jar.invoke(SnapshotHandler.class.getName(), stack.envVars(), events);

    // Assert
    JsonNode metrics = Json.parseBody(responses.get(0));
    JsonNode imported = Json.parseBody(responses.get(1));
    JsonNode exported = Json.parseBody(responses.get(2));
    JsonNode refused = Json.parseBody(responses.get(3));
    assertThat(metrics.path("statusCode").asInt()).as(responses.get(0)).isEqualTo(200);
    assertThat(imported.path("statusCode").asInt()).as(responses.get(1)).isEqualTo(200);
    assertThat(Json.parseBody(imported.path("body").asText()).path("imported").asInt()).isEqualTo(3);
    assertThat(exported.path("statusCode").asInt()).as(responses.get(2)).isEqualTo(200);
    assertThat(refused.path("statusCode").asInt()).isEqualTo(400);
    JsonNode export = Json.parseBody(exported.path("body").asText());
    // min_confidence 60 keeps the live row and the three imported ones (no confidence).
    assertThat(export.path("rows").asInt()).isEqualTo(4);
    HttpResponse<String> download = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(export.path("url").asText())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body().lines()).hasSize(5).first().asString().startsWith("user_message,intent,");
    assertThat(download.body()).contains("live one,card_arrival");
    assertThat(jar.size()).as("jar size in bytes").isLessThan(20_000_000L);
  }
}
