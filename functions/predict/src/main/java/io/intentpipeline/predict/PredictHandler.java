package io.intentpipeline.predict;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.HttpApiEvent;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Prediction;
import io.intentpipeline.serving.HttpGetter;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.PredictRequest;
import io.intentpipeline.serving.PredictionJson;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.crac.Core;

/**
 * The predict function: {@code GET /ai/training/predict?text=...[&top_k=n]} and
 * {@code POST /ai/training/predict} with {@code {"text": ..., "top_k": n}} answer
 * {@code {"intent", "confidence", "top_intents", "model_version"}} from the latest model in S3,
 * re-checked at most every {@code MODEL_REFRESH_SECONDS}. Bad input: 400 naming the field; no
 * model yet: 503.
 *
 * <p>A stream handler that reads the event and writes the response by hand: a typed handler would
 * make the Lambda runtime build its Jackson-based event serializer on the cold start (about 300 ms
 * measured here), and the function needs five fields of the event.
 */
public final class PredictHandler implements RequestStreamHandler {
  static final String PATH = "/ai/training/predict";
  private static final Map<String, String> JSON_HEADERS = headers(null);

  private final LatestModel models;
  private final PredictPriming priming;

  /**
   * For Lambda: reads the environment, loads the latest model now (in the init phase, or before
   * the SnapStart snapshot) and registers the snapshot hooks.
   */
  public PredictHandler() {
    this(latestModel(Env.system()));
    models.current();
    Core.getGlobalContext().register(priming);
  }

  /**
   * For the local stack: the configuration of {@code env}; the model is loaded on the first
   * request (none may be deployed yet) and no SnapStart hooks are registered.
   */
  public PredictHandler(Env env) {
    this(latestModel(env));
  }

  /** For tests and the local stack: serves {@code models} (loaded on the first request). */
  public PredictHandler(LatestModel models) {
    this.models = models;
    this.priming = new PredictPriming(this, models);
  }

  /**
   * The model source for {@code env}: {@code MODEL_BUCKET} (required), {@code
   * MODEL_REFRESH_SECONDS} (1 to 86400, default 60), AWS region, credentials and endpoint.
   */
  public static LatestModel latestModel(Env env) {
    String bucket = env.required("MODEL_BUCKET");
    Duration refresh = env.seconds("MODEL_REFRESH_SECONDS", Duration.ofSeconds(60), 1, 86_400);
    // Settings are read again after a SnapStart restore: the snapshot's credentials are stale.
    S3ModelObject latest = new S3ModelObject(() -> AwsSettings.fromEnv(env), bucket, S3ModelObject.LATEST_KEY,
        http());
    Log.info("predict_configured", "bucket", bucket, "key", S3ModelObject.LATEST_KEY,
        "refresh_seconds", refresh.toSeconds());
    return new LatestModel(latest, refresh, System::nanoTime);
  }

  /** The wire to S3: short timeouts, since a re-check runs on a request. */
  static HttpGetter http() {
    return HttpGetter.urlConnection(Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  /** The SnapStart (CRaC) hooks of this handler. */
  PredictPriming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    output.write(handle(new String(input.readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  /** One invocation: the HTTP API event's JSON in, the response's JSON out. Never throws. */
  public String handle(String invocation) {
    String requestId = "-";
    try {
      HttpApiEvent event = HttpApiEvent.parse(invocation);
      requestId = event.requestId();
      PredictRequest request = read(event);
      LatestModel.Served served = models.current().orElseThrow(this::unavailable);
      Prediction prediction = served.model().predict(request.text(), request.topK());
      return HttpApiEvent.response(200, JSON_HEADERS, PredictionJson.write(prediction, served.version()));
    } catch (InvalidRequestException e) {
      // Refusals are not logged: the caller gets the field, and this is the hottest route there is.
      return HttpApiEvent.response(400, JSON_HEADERS, PredictionJson.error(ApiException.badRequest(e)));
    } catch (ApiException e) {
      if (e.status() == 503) {
        Log.warn("predict_unavailable", "request_id", requestId, "code", e.code());
        Map<String, String> headers = new LinkedHashMap<>(JSON_HEADERS);
        headers.put("retry-after", Long.toString(models.refreshInterval().toSeconds()));
        return HttpApiEvent.response(503, headers, PredictionJson.error(e));
      }
      // Refusals are not logged: the caller gets the field, and this is the hottest route there is.
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
