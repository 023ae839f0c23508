package io.intentpipeline.predict;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.intentpipeline.log.Log;
import io.intentpipeline.serving.LatestModel;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * The SnapStart hooks (CRaC): before the snapshot, load the model and run the predict path until
 * it is compiled, then close the S3 connections; after a restore, build a new S3 client and
 * re-check the latest model at once (the snapshot may be days old).
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
    if (models.current().isEmpty()) {
      models.refreshNow();
    }
    // A second check while the object is unchanged: warms the 304 path as well.
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
      APIGatewayV2HTTPEvent event = switch (i % 4) {
        case 0, 1 -> get(Map.of("text", text, "top_k", Integer.toString(1 + i % 5)));
        case 2 -> post("{\"text\": \"" + text + "\", \"top_k\": " + (1 + i % 5) + "}");
        default -> i % 8 == 3 ? post("{\"text\": \"" + text + "\", \"top_k\": 0}") : get(Map.of("top_k", "2"));
      };
      if (handler.handleRequest(event, null).getStatusCode() == 200) {
        answered++;
      }
    }
    return answered;
  }

  private static APIGatewayV2HTTPEvent get(Map<String, String> query) {
    return event("GET", query, null);
  }

  private static APIGatewayV2HTTPEvent post(String body) {
    return event("POST", null, body);
  }

  private static APIGatewayV2HTTPEvent event(String method, Map<String, String> query, String body) {
    APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
    http.setMethod(method);
    http.setPath(PredictHandler.PATH);
    APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
    context.setHttp(http);
    context.setStage("$default");
    context.setRequestId("priming");
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setVersion("2.0");
    event.setRouteKey(method + " " + PredictHandler.PATH);
    event.setRawPath(PredictHandler.PATH);
    event.setRequestContext(context);
    event.setQueryStringParameters(query);
    event.setBody(body);
    event.setIsBase64Encoded(false);
    return event;
  }
}
