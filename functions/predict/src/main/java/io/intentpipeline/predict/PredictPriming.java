package io.intentpipeline.predict;

import io.intentpipeline.json.JsonStrings;
import io.intentpipeline.log.Log;
import io.intentpipeline.serving.LatestModel;
import org.crac.Context;
import org.crac.Resource;

/**
 * The SnapStart hooks (CRaC): before the snapshot, load the model and run the predict path until
 * it is compiled, then drop the credentials held (no S3 connection outlives its request); after a
 * restore, read the settings and credentials again and re-check the latest model at once (the
 * snapshot may be days old).
 */
final class PredictPriming implements Resource {
  /** Requests run before the snapshot: enough for the JIT to compile the predict path. */
  static final int WARM_UP_REQUESTS = 3_000;

  // Made-up texts (never user data): cover word and character n-grams, GET and POST, and refusals.
  private static final String[] TEXTS = {
      "where is my card", "I want to close my account", "how do I top up by bank transfer?",
      "the exchange rate looks wrong", "my payment was declined twice", "can I get a refund",
      "why is there a fee on my statement", "Ich habe meine Karte verloren", "pin blocked",
  };

  private final PredictHandler handler;
  private final LatestModel models;

  PredictPriming(PredictHandler handler, LatestModel models) {
    this.handler = handler;
    this.models = models;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    models.current();
    // A second check: warms the 304 path (or retries a load that failed).
    models.refreshNow();
    // Without a model every request would be a 503 (and a log line): nothing worth compiling.
    int requests = models.current().isPresent() ? WARM_UP_REQUESTS : 0;
    int answered = warmUp(requests);
    models.source().close();
    Log.info("predict_primed", "requests", requests, "answered", answered,
        "model_loaded", models.current().isPresent());
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    models.source().reconnect();
    boolean changed = models.refreshNow();
    Log.info("predict_restored", "model_changed", changed, "model_loaded", models.current().isPresent());
  }

  /** Runs {@code requests} made-up requests through the handler; returns how many answered 200. */
  int warmUp(int requests) {
    int answered = 0;
    for (int i = 0; i < requests; i++) {
      String text = TEXTS[i % TEXTS.length];
      int topK = 1 + i % 5;
      String event = switch (i % 4) {
        case 0, 1 -> get("text=" + text.replace(' ', '+'), "{\"text\":\"" + text + "\",\"top_k\":\"" + topK + "\"}");
        case 2 -> post("{\"text\": \"" + text + "\", \"top_k\": " + topK + "}");
        default -> i % 8 == 3 ? post("{\"text\": \"" + text + "\", \"top_k\": 0}") : get("top_k=2", "{\"top_k\":\"2\"}");
      };
      if (handler.handle(event).startsWith("{\"statusCode\":200,")) {
        answered++;
      }
    }
    return answered;
  }

  private static String get(String rawQuery, String queryJson) {
    return event("GET", ",\"rawQueryString\":\"" + rawQuery + "\",\"queryStringParameters\":" + queryJson);
  }

  private static String post(String body) {
    StringBuilder quoted = new StringBuilder();
    io.intentpipeline.json.JsonStrings.quote(quoted, body);
    return event("POST", ",\"body\":" + quoted);
  }

  /** An HTTP API (payload 2.0) event as API Gateway sends it, with the fields that vary added. */
  private static String event(String method, String fields) {
    return "{\"version\":\"2.0\",\"routeKey\":\"" + method + " " + PredictHandler.PATH + "\",\"rawPath\":\""
        + PredictHandler.PATH + "\"" + fields + ",\"headers\":{\"content-type\":\"application/json\","
        + "\"host\":\"priming.example\"},\"requestContext\":{\"http\":{\"method\":\"" + method
        + "\",\"path\":\"" + PredictHandler.PATH + "\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"192.0.2.1\"},"
        + "\"requestId\":\"priming\",\"routeKey\":\"" + method + " " + PredictHandler.PATH
        + "\",\"stage\":\"$default\",\"timeEpoch\":0},\"isBase64Encoded\":false}";
  }
}
