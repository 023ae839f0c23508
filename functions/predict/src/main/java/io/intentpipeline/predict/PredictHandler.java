package io.intentpipeline.predict;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Prediction;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.PredictRequest;
import io.intentpipeline.serving.PredictionJson;
import io.intentpipeline.serving.S3ModelObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crac.Core;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The predict function: {@code GET /ai/training/predict?text=...[&top_k=n]} and
 * {@code POST /ai/training/predict} with {@code {"text": ..., "top_k": n}} answer
 * {@code {"intent", "confidence", "top_intents", "model_version"}} from the latest model in S3,
 * re-checked at most every {@code MODEL_REFRESH_SECONDS}. Bad input: 400 naming the field; no
 * model yet: 503.
 *
 * <p>A typed handler: the Lambda runtime turns the JSON into the event object with its own
 * serializer, so this jar carries no JSON library; the one small body it reads and the answer it
 * writes are handled by hand.
 */
public final class PredictHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  static final String PATH = "/ai/training/predict";
  private static final Map<String, String> JSON_HEADERS =
      Map.of("content-type", "application/json; charset=utf-8", "cache-control", "no-store");

  private final LatestModel models;
  private final PredictPriming priming;

  /**
   * For Lambda: reads the environment, builds the S3 client, loads the latest model now (in the
   * init phase, or before the SnapStart snapshot) and registers the snapshot hooks.
   */
  public PredictHandler() {
    this(latestModel(Env.system()));
    models.current();
    Core.getGlobalContext().register(priming);
  }

  /** For tests and the local stack: serves {@code models} (loaded on the first request). */
  public PredictHandler(LatestModel models) {
    this.models = models;
    this.priming = new PredictPriming(this, models);
  }

  /**
   * The model source for {@code env}: {@code MODEL_BUCKET} (required), {@code
   * MODEL_REFRESH_SECONDS} (1 to 86400, default 60), AWS settings.
   */
  public static LatestModel latestModel(Env env) {
    String bucket = env.required("MODEL_BUCKET");
    Duration refresh = env.seconds("MODEL_REFRESH_SECONDS", Duration.ofSeconds(60), 1, 86_400);
    AwsSettings aws = AwsSettings.fromEnv(env);
    // Each client gets fresh settings: after a SnapStart restore the credentials are renewed too.
    S3ModelObject latest = new S3ModelObject(() -> s3Client(AwsSettings.fromEnv(env), List.of()), bucket,
        S3ModelObject.LATEST_KEY);
    Log.info("predict_configured", "bucket", bucket, "key", S3ModelObject.LATEST_KEY,
        "refresh_seconds", refresh.toSeconds(), "region", aws.region().id());
    return new LatestModel(latest, refresh, System::nanoTime);
  }

  /**
   * The S3 client of this function: url-connection HTTP client with short timeouts (a re-check runs
   * on a request), explicit region and credentials, no SDK checksums (the model file carries its
   * own CRC-32C, checked on load), path-style against an emulator.
   */
  static S3Client s3Client(AwsSettings aws, List<ExecutionInterceptor> interceptors) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build())
        .region(aws.region())
        .credentialsProvider(aws.credentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> {
          o.apiCallTimeout(Duration.ofSeconds(20));
          interceptors.forEach(o::addExecutionInterceptor);
        });
    aws.endpoint("S3").ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
    return builder.build();
  }

  /** The SnapStart (CRaC) hooks of this handler. */
  PredictPriming priming() {
    return priming;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    try {
      PredictRequest request = read(event);
      LatestModel.Served served = models.current().orElseThrow(this::unavailable);
      Prediction prediction = served.model().predict(request.text(), request.topK());
      return respond(200, JSON_HEADERS, PredictionJson.write(prediction, served.version()));
    } catch (ApiException e) {
      if (e.status() >= 500) {
        Log.warn("predict_unavailable", "request_id", requestId(event), "code", e.code());
        return respond(e.status(), Map.of("content-type", "application/json; charset=utf-8", "cache-control",
            "no-store", "retry-after", Long.toString(models.refreshInterval().toSeconds())), PredictionJson.error(e));
      }
      // Refusals are not logged: the caller gets the field, and this is the hottest route there is.
      return error(e);
    } catch (RuntimeException e) {
      Log.error("request_crashed", e, "route", "predict", "request_id", requestId(event));
      return error(new ApiException(500, "internal_error", "Internal error; request id " + requestId(event), null));
    }
  }

  private static PredictRequest read(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      throw ApiException.badRequest("event", "Empty event");
    }
    String path = path(event);
    if (!PATH.equals(path)) {
      throw new ApiException(404, "route_not_found", "No route for " + path, null);
    }
    String method = method(event);
    if ("GET".equals(method)) {
      return PredictRequest.fromQuery(event.getQueryStringParameters());
    }
    if ("POST".equals(method)) {
      return PredictRequest.fromJson(body(event));
    }
    throw new ApiException(405, "method_not_allowed", "Method " + method + " not allowed on " + PATH
        + "; allowed: GET, POST", null);
  }

  private ApiException unavailable() {
    return switch (models.problem()) {
      case MISSING -> ApiException.unavailable("model_not_deployed", "No model is deployed yet: "
          + models.source().key() + " does not exist in the model bucket. A training run deploys one;"
          + " this function looks again within " + models.refreshInterval().toSeconds() + " s.");
      case UNREADABLE -> ApiException.unavailable("model_unreadable", "The deployed model cannot be loaded: "
          + models.source().key() + " failed its checksum or format check. Deploy a good model or roll back;"
          + " this function looks again within " + models.refreshInterval().toSeconds() + " s.");
      default -> ApiException.unavailable("model_store_unavailable", "The model store could not be read;"
          + " retry later (this function looks again within " + models.refreshInterval().toSeconds() + " s).");
    };
  }

  private static String method(APIGatewayV2HTTPEvent event) {
    var context = event.getRequestContext();
    if (context != null && context.getHttp() != null && context.getHttp().getMethod() != null) {
      return context.getHttp().getMethod().toUpperCase(Locale.ROOT);
    }
    String routeKey = event.getRouteKey();
    if (routeKey != null && routeKey.indexOf(' ') > 0) {
      return routeKey.substring(0, routeKey.indexOf(' ')).toUpperCase(Locale.ROOT);
    }
    return "GET";
  }

  private static String path(APIGatewayV2HTTPEvent event) {
    String path = event.getRawPath();
    var context = event.getRequestContext();
    if ((path == null || path.isEmpty()) && context != null && context.getHttp() != null) {
      path = context.getHttp().getPath();
    }
    if (path == null || path.isEmpty()) {
      return "/";
    }
    String stage = context == null ? null : context.getStage();
    if (stage != null && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null || !event.getIsBase64Encoded()) {
      return body;
    }
    try {
      return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("body", "Request body is marked base64 but is not valid base64");
    }
  }

  private static String requestId(APIGatewayV2HTTPEvent event) {
    var context = event == null ? null : event.getRequestContext();
    return context == null || context.getRequestId() == null ? "-" : context.getRequestId();
  }

  private static APIGatewayV2HTTPResponse error(ApiException e) {
    Map<String, String> headers = e.status() == 405
        ? Map.of("content-type", "application/json; charset=utf-8", "cache-control", "no-store", "allow", "GET, POST")
        : JSON_HEADERS;
    return respond(e.status(), headers, PredictionJson.error(e));
  }

  private static APIGatewayV2HTTPResponse respond(int status, Map<String, String> headers, String body) {
    APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
    response.setStatusCode(status);
    response.setHeaders(headers);
    response.setBody(body);
    response.setIsBase64Encoded(false);
    return response;
  }
}
