package io.intentpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exports leave only through expiring presigned URLs, checked through the export route of the
 * snapshot function against S3Proxy (which checks SigV4 signatures and their expiry): the URL is
 * signed (AWS4-HMAC-SHA256, credential, date, signed headers, signature) with {@code X-Amz-Expires}
 * equal to the configured lifetime and at most SigV4's 604,800 s; the object cannot be read
 * without the signature, the lifetime cannot be stretched by editing the URL, and once expired
 * the URL is refused. (The template side, a bucket without public access, is DeployChecksTest's
 * and TemplateSecurityTest's.)
 */
class ExportUrlIT {
  static TestStack stack;
  static Database database;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("exporturl");
    database = new Database(stack.databaseSettings(), "test");
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(Row.detected("card_arrival").message("where is my card"),
          Row.detected("refund_request").message("money back please")));
    }
  }

  @AfterAll
  static void stop() {
    database.close();
    stack.close();
  }

  static SnapshotHandler handler(Duration ttl) {
    var exports = new ExportBucket(S3Clients.create(stack.aws()), S3Clients.presigner(stack.aws()), stack.bucket(), ttl,
        false, S3UploadStream.MIN_PART_SIZE);
    Clock clock = Clock.systemUTC();
    return new SnapshotHandler(new MetricsService(database), new DatasetExporter(database, exports, clock),
        new DatasetImporter(database, clock), clock);
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> query(String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void theExportUrlIsSignedExpiresAndCannotBeStretchedOrBypassed() throws Exception {
    // Arrange: the function as configured by default (EXPORT_URL_TTL_SECONDS unset: 900 s).
    SnapshotHandler handler = new SnapshotHandler(stack.env());

    // Act
    var answer = Invocations.get(handler, "/ai/training/dataset/export", Map.of("format", "jsonl"));
    String url = answer.body().path("url").asText();
    Map<String, String> params = query(url);
    HttpResponse<String> signed = get(url);
    HttpResponse<String> unsigned = get(url.substring(0, url.indexOf('?')));
    HttpResponse<String> stretched = get(url.replace("X-Amz-Expires=900", "X-Amz-Expires=604800"));

    // Assert
    assertThat(answer.status()).isEqualTo(200);
    assertThat(params).containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256").containsKeys("X-Amz-Credential",
        "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature");
    assertThat(Long.parseLong(params.get("X-Amz-Expires"))).isEqualTo(900).isLessThanOrEqualTo(604_800);
    assertThat(answer.body().path("expires_in_seconds").asLong()).isEqualTo(900);
    assertThat(signed.statusCode()).isEqualTo(200);
    assertThat(signed.body()).contains("where is my card");
    assertThat(unsigned.statusCode()).as("the object without a signature").isEqualTo(403);
    assertThat(stretched.statusCode()).as("the URL with a longer X-Amz-Expires").isEqualTo(403);
    System.out.printf("security export: X-Amz-Expires=%s, signed GET %d, unsigned GET %d, stretched GET %d%n",
        params.get("X-Amz-Expires"), signed.statusCode(), unsigned.statusCode(), stretched.statusCode());
  }

  @Test
  void anExpiredUrlIsRefusedByTheS3Server() throws Exception {
    // Arrange: a one-second lifetime (the function's own floor is 60 s; the server's check is the same).
    SnapshotHandler handler = handler(Duration.ofSeconds(1));
    String url = Invocations.get(handler, "/ai/training/dataset/export", Map.of("format", "csv")).body()
        .path("url").asText();
    int fresh = get(url).statusCode();

    // Act
    Thread.sleep(2_500);
    HttpResponse<String> stale = get(url);

    // Assert
    assertThat(query(url)).containsEntry("X-Amz-Expires", "1");
    assertThat(fresh).isEqualTo(200);
    assertThat(stale.statusCode()).isEqualTo(403);
    assertThat(stale.body()).containsIgnoringCase("expired");
    System.out.printf("security export: a 1 s URL answered %d, then %d after 2.5 s (%s)%n", fresh,
        stale.statusCode(), stale.body().replaceAll("\\s+", " ").substring(0, Math.min(120, stale.body().length())));
  }
}
