package io.intentpipeline.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.SampleSink;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.testing.Events;
import io.intentpipeline.validation.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The export query string and the two shapes of an import body, read strictly. */
class TransferRequestsTest {
  private static HttpRequest request(String method, Map<String, String> query, Map<String, String> headers,
                                     String body, boolean base64) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.put("rawPath", "/x");
    if (!query.isEmpty()) {
      event.set("queryStringParameters", Json.MAPPER.valueToTree(query));
    }
    event.set("headers", Json.MAPPER.valueToTree(headers));
    event.putObject("requestContext").putObject("http").put("method", method).put("path", "/x");
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", base64);
    return new HttpRequest(Events.fromJson(Json.write(event), APIGatewayV2HTTPEvent.class));
  }

  private static ImportRequest importRequest(Map<String, String> query, String contentType, String body) {
    return ImportRequest.from(request("POST", query, contentType == null ? Map.of() : Map.of("Content-Type", contentType),
        body, false));
  }

  /** Bad input is an InvalidRequestException (answered 400); a body too large an ApiException 413. */
  private static void assertBadRequest(ThrowingCallable call, int status, String field) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOfAny(InvalidRequestException.class, ApiException.class);
    ApiException answer = thrown instanceof InvalidRequestException invalid
        ? ApiException.badRequest(invalid) : (ApiException) thrown;
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.field()).contains(field);
  }

  private static List<String> intents(ImportRequest request) throws Exception {
    List<String> intents = new ArrayList<>();
    request.source().readInto(new SampleSink() {
      @Override
      public void sample(int line, TrainingSample sample) {
        intents.add(sample.intent());
      }

      @Override
      public void invalid(DatasetFormatException problem) {
        intents.add("!" + problem.line());
      }
    });
    return intents;
  }

  // ------------------------------------------------------------------------------------- export

  @Test
  void anExportRequestReadsItsFiltersAndDefaultsToEveryRowAsJsonLines() {
    // Act
    ExportRequest plain = ExportRequest.from(QueryParams.of(request("GET", Map.of(), Map.of(), null, false),
        ExportRequest.PARAMETERS));
    ExportRequest filtered = ExportRequest.from(QueryParams.of(request("GET", Map.of("format", "CSV",
        "min_confidence", "60", "only_reviewed", "true", "from", "2026-03-01", "to", "2026-03-02T12:00:00Z",
        "limit", "500"), Map.of(), null, false), ExportRequest.PARAMETERS));

    // Assert
    assertThat(plain).isEqualTo(ExportRequest.all(DatasetFormat.JSONL));
    assertThat(filtered).isEqualTo(new ExportRequest(DatasetFormat.CSV, 60, true,
        Optional.of(Instant.parse("2026-03-01T00:00:00Z")), Optional.of(Instant.parse("2026-03-02T12:00:00Z")),
        Optional.of(500)));
  }

  @Test
  void aBadExportParameterIsA400NamingIt() {
    for (var bad : List.of(Map.of("format", "xlsx"), Map.of("min_confidence", "101"), Map.of("only_reviewed", "yes"),
        Map.of("from", "last week"), Map.of("limit", "0"), Map.of("limit", "1000001"), Map.of("intent", "x"))) {
      String field = bad.keySet().iterator().next();
      assertBadRequest(() -> ExportRequest.from(QueryParams.of(request("GET", bad, Map.of(), null, false),
          ExportRequest.PARAMETERS)), 400, field);
    }
    assertBadRequest(() -> ExportRequest.from(QueryParams.of(request("GET", Map.of("from", "2026-03-02", "to",
        "2026-03-01"), Map.of(), null, false), ExportRequest.PARAMETERS)), 400, "to");
  }

  @Test
  void aDirectInvocationCarriesTheQueryParametersAsValues() throws Exception {
    // Act
    ExportRequest request = ExportRequest.fromInvocation(Json.MAPPER.readTree(
        "{\"export\": {\"format\": \"csv\", \"min_confidence\": 60, \"only_reviewed\": true, \"limit\": 5}}"));

    // Assert
    assertThat(request).isEqualTo(new ExportRequest(DatasetFormat.CSV, 60, true, Optional.empty(), Optional.empty(),
        Optional.of(5)));
  }

  @Test
  void aBadDirectInvocationNamesTheField() throws Exception {
    for (var bad : Map.of("{\"export\": {}, \"format\": \"csv\"}", "format", "{\"export\": \"csv\"}", "export",
        "{\"export\": {\"limit\": null}}", "export.limit", "{\"export\": {\"format\": [\"csv\"]}}", "export.format",
        "{\"export\": {\"format\": \"xlsx\"}}", "format").entrySet()) {
      var payload = Json.MAPPER.readTree(bad.getKey());
      assertThatThrownBy(() -> ExportRequest.fromInvocation(payload)).as(bad.getKey())
          .isInstanceOf(InvalidRequestException.class)
          .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo(bad.getValue());
    }
  }

  // ------------------------------------------------------------------------------------- import

  @Test
  void aJsonBodyCarriesTheFormatTheFileAndItsColumns() throws Exception {
    // Act
    ImportRequest request = importRequest(Map.of(), "application/json; charset=utf-8", """
        {"format": "csv", "content": "utterance,label\\nhello,greeting\\nbye,\\n", "text_column": "utterance",
         "label_column": "label"}""");

    // Assert
    assertThat(request.format()).isEqualTo(DatasetFormat.CSV);
    assertThat(request.contentField()).isEqualTo("content");
    assertThat(intents(request)).containsExactly("greeting", "!3");
  }

  @Test
  void aRawBodyTakesItsFormatFromTheQueryOrItsContentType() throws Exception {
    // Act
    ImportRequest csv = importRequest(Map.of(), "text/csv", "text,category\nhi,greeting\n");
    ImportRequest jsonl = importRequest(Map.of(), "application/x-ndjson",
        "{\"user_message\":\"hi\",\"intent\":\"greeting\"}\n");
    ImportRequest named = importRequest(Map.of("format", "csv", "text_column", "q", "label_column", "a"), "text/plain",
        "q,a\nhi,greeting\n");

    // Assert
    assertThat(List.of(csv.format(), jsonl.format(), named.format()))
        .containsExactly(DatasetFormat.CSV, DatasetFormat.JSONL, DatasetFormat.CSV);
    assertThat(csv.contentField()).isEqualTo("body");
    assertThat(intents(named)).containsExactly("greeting");
  }

  @Test
  void aBase64BodyIsDecodedAndMustBeUtf8() throws Exception {
    // Arrange
    String utf8 = Base64.getEncoder().encodeToString("text,category\ncaf\u00e9,coffee\n".getBytes(StandardCharsets.UTF_8));
    String latin1 = Base64.getEncoder().encodeToString("text,category\ncaf\u00e9,coffee\n"
        .getBytes(StandardCharsets.ISO_8859_1));

    // Act
    ImportRequest decoded = ImportRequest.from(request("POST", Map.of(), Map.of("content-type", "text/csv"), utf8, true));

    // Assert
    assertThat(decoded.content()).contains("caf\u00e9");
    assertBadRequest(() -> ImportRequest.from(request("POST", Map.of(), Map.of("content-type", "text/csv"), latin1, true)),
        400, "body");
    assertBadRequest(() -> ImportRequest.from(request("POST", Map.of(), Map.of("content-type", "text/csv"), "%%%", true)),
        400, "body");
  }

  @Test
  void aBodyOverTheLimitIsA413() {
    // Arrange: one byte over, counted in UTF-8 bytes (é is two).
    String overByOne = "\u00e9".repeat(ImportRequest.MAX_BODY_BYTES / 2) + "x";
    String atLimit = "text,category\n" + "a".repeat(ImportRequest.MAX_BODY_BYTES - 14);

    // Act / Assert
    assertBadRequest(() -> importRequest(Map.of(), "text/csv", overByOne), 413, "body");
    assertBadRequest(() -> ImportRequest.from(request("POST", Map.of(), Map.of("content-type", "text/csv"),
        Base64.getEncoder().encodeToString(overByOne.getBytes(StandardCharsets.UTF_8)), true)), 413, "body");
    assertThat(importRequest(Map.of(), "text/csv", atLimit).content()).hasSize(ImportRequest.MAX_BODY_BYTES);
    assertThatThrownBy(() -> importRequest(Map.of(), "text/csv", overByOne))
        .hasMessageContaining("at most 4194304 bytes").hasMessageContaining("./pipeline import");
  }

  @Test
  void badImportRequestsAre400sNamingTheField() {
    assertBadRequest(() -> importRequest(Map.of(), "text/plain", "a,b\n"), 400, "format");
    assertBadRequest(() -> importRequest(Map.of("format", "xlsx"), "text/plain", "a,b\n"), 400, "format");
    assertBadRequest(() -> importRequest(Map.of("delimiter", ";"), "text/csv", "a,b\n"), 400, "delimiter");
    assertBadRequest(() -> importRequest(Map.of(), "text/csv", null), 400, "body");
    assertBadRequest(() -> importRequest(Map.of(), "text/csv", "  \n "), 400, "body");
    assertBadRequest(() -> importRequest(Map.of("text_column", "q"), "application/x-ndjson", "{}"), 400, "text_column");
    assertBadRequest(() -> importRequest(Map.of(), "application/json", "{\"content\": \"a,b\"}"), 400, "format");
    assertBadRequest(() -> importRequest(Map.of(), "application/json", "{\"format\": \"csv\"}"), 400, "content");
    assertBadRequest(() -> importRequest(Map.of(), "application/json", "{\"format\": \"csv\", \"content\": 5}"), 400,
        "content");
    assertBadRequest(() -> importRequest(Map.of(), "application/json",
        "{\"format\": \"csv\", \"content\": \"a,b\", \"delimiter\": \";\"}"), 400, "delimiter");
    assertBadRequest(() -> importRequest(Map.of("format", "csv"), "application/json",
        "{\"format\": \"csv\", \"content\": \"a,b\"}"), 400, "format");
    assertBadRequest(() -> importRequest(Map.of(), "application/json", "[1]"), 400, "body");
    assertBadRequest(() -> importRequest(Map.of(), "application/json", "{oops"), 400, "body");
  }

  @Test
  void aFileLevelProblemIsPinnedOnTheOptionAtFault() {
    ImportRequest request = importRequest(Map.of("text_column", "q"), "text/csv", "a,b\n");

    assertThat(request.fieldOf(new DatasetFormatException(1, "the header has no text column named 'q'")))
        .isEqualTo("text_column");
    assertThat(request.fieldOf(new DatasetFormatException(1, "the header has no label column ('intent' or"
        + " 'category'); name it with the label-column option"))).isEqualTo("label_column");
    assertThat(request.fieldOf(new DatasetFormatException(1, "the file is empty: a header line is required")))
        .isEqualTo("body");
  }
}
