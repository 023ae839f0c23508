package io.intentpipeline.predict;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.HttpApiEvent;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Prediction;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.PredictRequest;
import io.intentpipeline.serving.PredictionJson;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /ai/training/predict?text=...[&top_k=n][&min_confidence=x]} and {@code POST
 * /ai/training/predict} with {@code {"text": ..., "top_k": n, "min_confidence": x}} answer {@code
 * {"intent", "confidence", "top_intents", "action", "clarify_intents"?, "model_version"}}
 * (docs/ANSWER_ACTIONS.md). Bad input: 400 naming the field; no model yet: 503. The event is read and the
 * response written by hand (see {@link PredictHandler} for why).
 */
final class PredictHttpRoute {
  private static final String PATH = PredictHandler.PATH;
  private static final Map<String, String> JSON_HEADERS = headers(null);

  private final LatestModel models;
  private final Redactor redactor;

  /** Serves {@code models}; the text is redacted with {@code redactor} first, as record redacts what is trained on. */
  PredictHttpRoute(LatestModel models, Redactor redactor) {
    this.models = models;
    this.redactor = redactor;
  }

  /** One invocation: the HTTP API event's JSON in, the response's JSON out. Never throws. */
  String handle(String invocation) {
    String requestId = "-";
    try {
      HttpApiEvent event = HttpApiEvent.parse(invocation);
      requestId = event.requestId();
      PredictRequest request = read(event);
      LatestModel.Served served = models.current().orElseThrow(this::unavailable);
      Prediction prediction = served.model().predict(redactor.apply(request.text()), request.topK(), request.minConfidence());
      return HttpApiEvent.response(200, JSON_HEADERS, PredictionJson.write(prediction, served.version()));
    } catch (InvalidRequestException e) {
      return HttpApiEvent.response(400, JSON_HEADERS, PredictionJson.error(ApiException.badRequest(e)));
    } catch (ApiException e) {
      if (e.status() == 503) {
        Log.warn("predict_unavailable", "request_id", requestId, "code", e.code());
        Map<String, String> headers = new LinkedHashMap<>(JSON_HEADERS);
        headers.put("retry-after", Long.toString(models.refreshInterval().toSeconds()));
        return HttpApiEvent.response(503, headers, PredictionJson.error(e));
      }
      // Refusals (here and the 400s above) are not logged: the caller gets the field, and this is
      // the hottest route there is.
      return HttpApiEvent.response(e.status(), e.status() == 405 ? headers("GET, POST") : JSON_HEADERS,
          PredictionJson.error(e));
    } catch (RuntimeException e) {
      Log.error("request_crashed", e, "route", "predict", "request_id", requestId);
      return HttpApiEvent.response(500, JSON_HEADERS, PredictionJson.error(
          new ApiException(500, "internal_error", "Internal error; request id " + requestId, null)));
    }
  }

  private static PredictRequest read(HttpApiEvent event) {
    if (!PATH.equals(event.path())) {
      throw new ApiException(404, "route_not_found", "No route for " + event.path(), null);
    }
    return switch (event.method()) {
      case "GET" -> PredictRequest.fromQuery(event.query());
      case "POST" -> PredictRequest.fromJson(event.body());
      default -> throw new ApiException(405, "method_not_allowed", "Method " + event.method() + " not allowed on "
          + PATH + "; allowed: GET, POST", null);
    };
  }

  private ApiException unavailable() {
    long seconds = models.refreshInterval().toSeconds();
    return switch (models.problem()) {
      case MISSING -> ApiException.unavailable("model_not_deployed", "No model is deployed yet: "
          + models.source().key() + " does not exist in the model bucket. A training run deploys one;"
          + " this function looks again within " + seconds + " s.");
      case UNREADABLE -> ApiException.unavailable("model_unreadable", "The deployed model cannot be loaded: "
          + models.source().key() + " failed its checksum or format check. Deploy a good model or roll back;"
          + " this function looks again within " + seconds + " s.");
      default -> ApiException.unavailable("model_store_unavailable", "The model store could not be read;"
          + " retry later (this function looks again within " + seconds + " s).");
    };
  }

  private static Map<String, String> headers(String allow) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json; charset=utf-8");
    headers.put("cache-control", "no-store");
    if (allow != null) {
      headers.put("allow", allow);
    }
    return Map.copyOf(headers);
  }
}
