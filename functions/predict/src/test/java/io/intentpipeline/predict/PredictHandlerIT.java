package io.intentpipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.PredictRequest;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The predict handler against a real S3 server (S3Proxy): the model is trained with the ML core
 * and put where the train function deploys it; time is a test clock, so "after the refresh
 * interval" is exact; every GET the function's S3 client sends is counted by status.
 */
class PredictHandlerIT {
  private static final String A = "2026-11-20T02:00:00Z";
  private static final String B = "2026-11-21T02:00:00Z";
  private static final Duration INTERVAL = Duration.ofSeconds(60);
  private static final String TEXT = "I ordered a new card two weeks ago and it still hasn't arrived";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  static TestStack stack;

  private String bucket;
  private GetCounter gets;
  private AtomicLong clock;
  private LatestModel models;
  private PredictHandler handler;
  private ByteArrayOutputStream logs;

  @BeforeAll
  static void start() {
    stack = TestStack.create("predict");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void freshBucketAndFunction() {
    bucket = stack.bucket() + "-" + BUCKETS.incrementAndGet();
    S3Clients.ensureBucket(stack.s3(), bucket);
    gets = new GetCounter();
    clock = new AtomicLong(1_000_000_000L);
    models = new LatestModel(new S3ModelObject(stack::aws, bucket, S3ModelObject.LATEST_KEY,
        gets.around(PredictHandler.http())), INTERVAL, clock::get);
    handler = new PredictHandler(models);
    logs = new ByteArrayOutputStream();
    Log.to(new PrintStream(logs, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    Log.to(System.out);
    models.source().close();
  }

  @Test
  void eachAnswerSaysWhatToDoAndARequestMayBringItsOwnThreshold() throws Exception {
    // Arrange: a model that learned the reserved out_of_scope intent from a few messages
    deploy(TestModels.withOutOfScope("2026-11-21T02:00:00Z"));

    // Act
    HttpResult strict = Invocations.get(handler, PredictHandler.PATH, Map.of("text", TEXT, "min_confidence", "1"));
    HttpResult lenient = Invocations.get(handler, PredictHandler.PATH, Map.of("text", TEXT, "min_confidence", "0"));
    HttpResult outOfScope = Invocations.get(handler, PredictHandler.PATH,
        Map.of("text", "tell me a joke about the weather"));
    HttpResult bad = Invocations.get(handler, PredictHandler.PATH, Map.of("text", TEXT, "min_confidence", "2"));

    // Assert
    assertThat(strict.status()).isEqualTo(200);
    assertThat(strict.body().get("action").asText()).isIn("clarify", "escalate");
    if ("clarify".equals(strict.body().get("action").asText())) {
      assertThat(strict.body().get("clarify_intents")).hasSize(2);
    }
    assertThat(lenient.body().get("action").asText()).isEqualTo("answer");
    assertThat(lenient.body().has("clarify_intents")).isFalse();
    assertThat(outOfScope.body().get("intent").asText()).isEqualTo("out_of_scope");
    assertThat(outOfScope.body().get("action").asText()).isEqualTo("escalate");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("error").get("field").asText()).isEqualTo("min_confidence");
  }

  @Test
  void theFirstRequestAfterStartUpAnswersFromTheLatestModel() throws Exception {
    // Arrange
    deploy(TestModels.model(A));

    // Act
    HttpResult response = Invocations.httpFile(handler, "predict-get.json");

    // Assert
    assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("content-type", "application/json; charset=utf-8");
    JsonNode body = response.body();
    assertThat(fieldNames(body)).containsExactly("intent", "confidence", "top_intents", "action", "model_version");
    assertThat(body.get("action").asText()).isEqualTo("answer");
    assertThat(body.get("intent").asText()).isEqualTo("card_arrival");
    assertThat(body.get("confidence").asDouble()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
    assertThat(body.get("model_version").asText()).isEqualTo(TestModels.version(A));
    JsonNode top = body.get("top_intents");
    assertThat(top).hasSize(3);
    assertThat(top.get(0).get("intent").asText()).isEqualTo("card_arrival");
    assertThat(top.get(0).get("confidence").asDouble()).isEqualTo(body.get("confidence").asDouble());
    assertThat(top.get(1).get("confidence").asDouble()).isLessThanOrEqualTo(top.get(0).get("confidence").asDouble());
    assertThat(top.get(2).get("confidence").asDouble()).isLessThanOrEqualTo(top.get(1).get("confidence").asDouble());
    assertThat(TestModels.INTENTS).contains(top.get(1).get("intent").asText(), top.get(2).get("intent").asText());
    assertThat(gets.downloaded.get()).isEqualTo(1);
  }

  @Test
  void theEventSamplesAnswerAndTheirBadTwinsAreRefusedNamingTheField() throws Exception {
    // Arrange
    deploy(TestModels.model(A));

    // Act
    HttpResult get = invokeFile("predict-get.json");
    HttpResult badGet = invokeFile("predict-get.invalid.json");
    HttpResult post = invokeFile("predict-post.json");
    HttpResult badPost = invokeFile("predict-post.invalid.json");

    // Assert
    assertThat(get.status()).isEqualTo(200);
    assertThat(post.status()).as(post.body().toString()).isEqualTo(200);
    JsonNode posted = post.body();
    assertThat(posted.get("intent").asText()).isEqualTo("card_arrival");
    assertThat(posted.get("top_intents")).hasSize(5);
    assertThat(badGet.status()).isEqualTo(400);
    assertThat(error(badGet).get("field").asText()).isEqualTo("text");
    assertThat(badPost.status()).isEqualTo(400);
    assertThat(error(badPost).get("field").asText()).isEqualTo("top_k");
    assertThat(error(badPost).get("code").asText()).isEqualTo("invalid_request");
  }

  @Test
  void aNewLatestIsServedOnceTheRefreshIntervalHasPassedAndNotBefore() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    assertThat(version(predict(TEXT))).isEqualTo(TestModels.version(A));
    deploy(TestModels.model(B));

    // Act
    advance(INTERVAL.minusSeconds(1));
    HttpResult before = predict(TEXT);
    int getsBefore = gets.total();
    advance(Duration.ofSeconds(1));
    HttpResult after = predict(TEXT);

    // Assert
    assertThat(version(before)).isEqualTo(TestModels.version(A));
    assertThat(getsBefore).as("no S3 request within the interval").isEqualTo(1);
    assertThat(version(after)).isEqualTo(TestModels.version(B));
    assertThat(gets.downloaded.get()).isEqualTo(2);
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"model_loaded\"")
        .contains("\"previous\":\"" + TestModels.version(A) + "\"");
  }

  @Test
  void anUnchangedLatestIsNeverDownloadedTwice() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    predict(TEXT);

    // Act
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      advance(INTERVAL);
      versions.add(version(predict(TEXT)));
    }

    // Assert
    assertThat(versions).containsOnly(TestModels.version(A));
    assertThat(gets.downloaded.get()).as("full downloads").isEqualTo(1);
    assertThat(gets.notModified.get()).as("conditional GETs answered 304").isEqualTo(5);
    assertThat(gets.other.get()).isZero();
  }

  @Test
  void aCorruptOrTruncatedLatestLeavesTheServedModelInServiceAndIsLoggedByName() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    predict(TEXT);
    byte[] good = TestModels.model(B);
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    byte[] flipped = good.clone();
    flipped[good.length / 3] ^= 0x5a;

    // Act
    String truncatedEtag = deploy(truncated);
    advance(INTERVAL);
    HttpResult afterTruncated = predict(TEXT);
    advance(INTERVAL);
    HttpResult stillTruncated = predict(TEXT);
    int downloadsWhileTruncated = gets.downloaded.get();
    deploy(flipped);
    advance(INTERVAL);
    HttpResult afterFlipped = predict(TEXT);
    deploy(good);
    advance(INTERVAL);
    HttpResult afterRepair = predict(TEXT);

    // Assert
    assertThat(afterTruncated.status()).isEqualTo(200);
    assertThat(version(afterTruncated)).isEqualTo(TestModels.version(A));
    assertThat(version(stillTruncated)).isEqualTo(TestModels.version(A));
    assertThat(downloadsWhileTruncated).as("the same bad object is not downloaded again").isEqualTo(2);
    assertThat(version(afterFlipped)).isEqualTo(TestModels.version(A));
    assertThat(version(afterRepair)).isEqualTo(TestModels.version(B));
    String log = logs.toString(StandardCharsets.UTF_8);
    String rejected = log.lines().filter(l -> l.contains("\"model_rejected\"")).findFirst().orElseThrow();
    assertThat(rejected).contains("\"level\":\"ERROR\"", "\"bucket\":\"" + bucket + "\"",
        "\"key\":\"" + S3ModelObject.LATEST_KEY + "\"", "\"etag\":" + Json.write(truncatedEtag),
        "\"serving\":\"" + TestModels.version(A) + "\"", "truncated");
    assertThat(log.lines().filter(l -> l.contains("\"model_rejected\"")).count()).isEqualTo(2);
    assertThat(log).contains("checksum mismatch").doesNotContain(TEXT).doesNotContain("ordered a new card");
  }

  @Test
  void noDeployedModelAnswers503UntilOneIsDeployed() throws Exception {
    // Act
    HttpResult none = predict(TEXT);
    deploy(TestModels.model(A));
    HttpResult withinInterval = predict(TEXT);
    advance(INTERVAL);
    HttpResult deployed = predict(TEXT);

    // Assert
    assertThat(none.status()).isEqualTo(503);
    assertThat(error(none).get("code").asText()).isEqualTo("model_not_deployed");
    assertThat(error(none).get("message").asText()).contains(S3ModelObject.LATEST_KEY).contains("60 s");
    assertThat(none.headers()).containsEntry("retry-after", "60");
    assertThat(withinInterval.status()).isEqualTo(503);
    assertThat(deployed.status()).isEqualTo(200);
    assertThat(version(deployed)).isEqualTo(TestModels.version(A));
  }

  @Test
  void aCorruptLatestWithNothingInServiceAnswers503Unreadable() throws Exception {
    // Arrange
    byte[] good = TestModels.model(A);
    deploy(Arrays.copyOf(good, good.length - 1));

    // Act
    HttpResult response = predict(TEXT);

    // Assert
    assertThat(response.status()).isEqualTo(503);
    assertThat(error(response).get("code").asText()).isEqualTo("model_unreadable");
  }

  @Test
  void anUnreachableModelStoreAnswers503AndAServedModelOutlivesAnOutage() throws Exception {
    // Arrange: the client factory points at a closed port until the test switches it back.
    AtomicReference<AwsSettings> target = new AtomicReference<>(unreachable());
    GetCounter counted = new GetCounter();
    LatestModel flaky = new LatestModel(new S3ModelObject(target::get, bucket, S3ModelObject.LATEST_KEY,
        counted.around(PredictHandler.http())), INTERVAL, clock::get);
    PredictHandler function = new PredictHandler(flaky);
    deploy(TestModels.model(A));

    // Act
    HttpResult down = Invocations.get(function, PredictHandler.PATH, Map.of("text", TEXT));
    target.set(stack.aws());
    flaky.source().reconnect();
    advance(INTERVAL);
    HttpResult up = Invocations.get(function, PredictHandler.PATH, Map.of("text", TEXT));
    target.set(unreachable());
    flaky.source().reconnect();
    advance(INTERVAL);
    HttpResult duringOutage = Invocations.get(function, PredictHandler.PATH, Map.of("text", TEXT));

    // Assert
    assertThat(down.status()).isEqualTo(503);
    assertThat(error(down).get("code").asText()).isEqualTo("model_store_unavailable");
    assertThat(up.status()).isEqualTo(200);
    assertThat(duringOutage.status()).isEqualTo(200);
    assertThat(version(duringOutage)).isEqualTo(TestModels.version(A));
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"model_check_failed\"");
  }

  @Test
  void aRollbackCopiedOverLatestIsServedAndShowsInModelVersion() throws Exception {
    // Arrange: two deployed models, B in service.
    String keyA = "models/" + TestModels.version(A) + ".model";
    String keyB = "models/" + TestModels.version(B) + ".model";
    put(keyA, TestModels.model(A));
    put(keyB, TestModels.model(B));
    copy(keyB, S3ModelObject.LATEST_KEY);
    assertThat(version(predict(TEXT))).isEqualTo(TestModels.version(B));

    // Act: an admin copies A over latest.
    copy(keyA, S3ModelObject.LATEST_KEY);
    advance(INTERVAL);
    HttpResult response = predict(TEXT);

    // Assert
    assertThat(version(response)).isEqualTo(TestModels.version(A));
  }

  @Test
  void badInputIsRefusedWith400NamingTheField() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    String tooLong = "a".repeat(PredictRequest.MAX_TEXT + 1);
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("text", getEvent(Map.of("top_k", "2")));
    cases.put("text|blank", getEvent(Map.of("text", "   ")));
    cases.put("text|long", postEvent("{\"text\": \"" + tooLong + "\"}"));
    cases.put("text|nul", getEvent(Map.of("text", "card\u0000arrival")));
    cases.put("text|surrogate", postEvent("{\"text\": \"card \\ud83d arrival\"}"));
    cases.put("text|number", postEvent("{\"text\": 42}"));
    cases.put("text|missing", postEvent("{\"top_k\": 2}"));
    cases.put("top_k", getEvent(Map.of("text", TEXT, "top_k", "0")));
    cases.put("top_k|big", getEvent(Map.of("text", TEXT, "top_k", "21")));
    cases.put("top_k|word", getEvent(Map.of("text", TEXT, "top_k", "three")));
    cases.put("top_k|fraction", postEvent("{\"text\": \"hello\", \"top_k\": 2.5}"));
    cases.put("top_k|string", postEvent("{\"text\": \"hello\", \"top_k\": \"2\"}"));
    cases.put("top_k|negative", postEvent("{\"text\": \"hello\", \"top_k\": -1}"));
    cases.put("lang", getEvent(Map.of("text", TEXT, "lang", "en")));
    cases.put("lang|post", postEvent("{\"text\": \"hello\", \"lang\": \"en\"}"));
    cases.put("body", postEvent("{\"text\": \"hello\""));
    cases.put("body|empty", postEvent(""));
    cases.put("body|array", postEvent("[\"hello\"]"));
    cases.put("body|trailing", postEvent("{\"text\": \"hello\"} x"));
    cases.put("body|base64", event("POST", null, "%%%not base64%%%", true));

    for (var entry : cases.entrySet()) {
      // Act
      HttpResult response = call(handler, entry.getValue());

      // Assert
      String field = entry.getKey().split("\\|")[0];
      assertThat(response.status()).as(entry.getKey() + ": " + response.body()).isEqualTo(400);
      assertThat(error(response).get("field").asText()).as(entry.getKey()).isEqualTo(field);
      assertThat(error(response).get("message").asText()).as(entry.getKey()).contains(field).doesNotContain("card");
    }
  }

  @Test
  void aBase64BodyIsDecodedAndOtherMethodsPathsAndPayloadsAreRefused() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    String base64 = event("POST", null, java.util.Base64.getEncoder()
        .encodeToString(("{\"text\": \"" + TEXT + "\", \"top_k\": 1}").getBytes(StandardCharsets.UTF_8)), true);
    String put = event("PUT", null, "{\"text\": \"hello\"}", false);
    String elsewhere = getEvent(Map.of("text", TEXT)).replace("/ai/training/predict", "/ai/training/predictions");

    // Act
    HttpResult decoded = call(handler, base64);
    HttpResult wrongMethod = call(handler, put);
    HttpResult wrongPath = call(handler, elsewhere);
    HttpResult notAnEvent = call(handler, "[1, 2]");

    // Assert
    assertThat(decoded.status()).isEqualTo(200);
    assertThat(decoded.body().get("top_intents")).hasSize(1);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.headers()).containsEntry("allow", "GET, POST");
    assertThat(wrongPath.status()).isEqualTo(404);
    assertThat(notAnEvent.status()).isEqualTo(400);
    assertThat(notAnEvent.errorField()).isEqualTo("event");
  }

  @Test
  void requestsOnSeveralThreadsDuringADeployAllAnswerAndTheNewModelIsDownloadedOnce() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    predict(TEXT);
    deploy(TestModels.model(B));
    advance(INTERVAL);
    ExecutorService pool = Executors.newFixedThreadPool(8);

    // Act
    List<Future<HttpResult>> answers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      answers.add(pool.submit(() -> predict(TEXT)));
    }
    List<String> versions = new ArrayList<>();
    for (Future<HttpResult> answer : answers) {
      assertThat(answer.get().status()).isEqualTo(200);
      versions.add(version(answer.get()));
    }
    pool.shutdown();
    String afterwards = version(predict(TEXT));

    // Assert
    // Each answer comes from one whole model, old or new; which one depends on thread timing.
    assertThat(versions).isSubsetOf(TestModels.version(A), TestModels.version(B));
    assertThat(afterwards).isEqualTo(TestModels.version(B));
    assertThat(gets.downloaded.get()).isEqualTo(2);
  }

  // --- helpers

  private HttpResult invokeFile(String file) {
    return Invocations.httpFile(handler, file);
  }

  private HttpResult predict(String text) {
    return call(handler, getEvent(Map.of("text", text)));
  }

  private void advance(Duration duration) {
    clock.addAndGet(duration.toNanos());
  }

  /** Puts {@code bytes} as the latest model, as a deploy does; returns its ETag. */
  private String deploy(byte[] bytes) {
    return put(S3ModelObject.LATEST_KEY, bytes);
  }

  private String put(String key, byte[] bytes) {
    return stack.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)).eTag();
  }

  private void copy(String from, String to) {
    stack.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
  }

  private static AwsSettings unreachable() {
    return AwsSettings.fromEnv(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local",
        "AWS_SECRET_ACCESS_KEY", "local-secret", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")));
  }

  private static String version(HttpResult response) {
    assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
    return response.body().get("model_version").asText();
  }

  private static JsonNode error(HttpResult response) {
    return response.body().get("error");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The handler's answer to an invocation, as API Gateway reads it. */
  static HttpResult call(PredictHandler handler, String event) {
    try {
      JsonNode response = Json.MAPPER.readTree(Invocations.invoke(handler, event));
      Map<String, String> headers = new java.util.HashMap<>();
      response.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
      return new HttpResult(response.path("statusCode").asInt(), headers, Json.MAPPER.readTree(response.path("body").asText()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A GET event (HTTP API payload 2.0) with these query parameters. */
  static String getEvent(Map<String, String> query) {
    return event("GET", query, null, false);
  }

  /** A POST event with this body. */
  static String postEvent(String body) {
    return event("POST", null, body, false);
  }

  static String event(String method, Map<String, String> query, String body, boolean base64) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", method + " " + PredictHandler.PATH);
    event.put("rawPath", PredictHandler.PATH);
    if (query != null) {
      event.set("queryStringParameters", Json.MAPPER.valueToTree(query));
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("requestId", "test-request");
    context.put("stage", "$default");
    context.putObject("http").put("method", method).put("path", PredictHandler.PATH);
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", base64);
    return Json.write(event);
  }
}
