package io.intentpipeline.predict;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.config.Env;
import io.intentpipeline.log.Log;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.serving.HttpGetter;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.S3ModelObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.crac.Core;

/**
 * The predict function: the intent of a text ({@link PredictHttpRoute}) from the latest model in
 * S3, re-checked at most every {@code MODEL_REFRESH_SECONDS}.
 *
 * <p>A stream handler that reads the event and writes the response by hand: a typed handler would
 * make the Lambda runtime build its Jackson-based event serializer on the cold start (about 300 ms
 * measured here), and the function needs five fields of the event.
 */
public final class PredictHandler implements RequestStreamHandler {
  static final String PATH = "/ai/training/predict";

  private final LatestModel models;
  private final PredictHttpRoute route;
  private final PredictPriming priming;

  /**
   * For Lambda: reads the environment, loads the latest model now (in the init phase, or before
   * the SnapStart snapshot) and registers the snapshot hooks.
   */
  public PredictHandler() {
    this(latestModel(Env.system()), Redactor.fromEnv(Env.system()));
    models.current();
    Core.getGlobalContext().register(priming);
  }

  /**
   * For the local stack: the configuration of {@code env}; the model is loaded on the first
   * request (none may be deployed yet) and no SnapStart hooks are registered.
   */
  public PredictHandler(Env env) {
    this(latestModel(env), Redactor.fromEnv(env));
  }

  /** For tests and the local stack: serves {@code models} (loaded on the first request), redacting every built-in kind. */
  public PredictHandler(LatestModel models) {
    this(models, Redactor.standard());
  }

  /**
   * Serves {@code models}, replacing personal data in each text with {@code redactor} before it is
   * classified ({@code REDACT_PERSONAL_DATA}, {@code REDACT_EXTRA_PATTERN}: the record function's settings).
   */
  public PredictHandler(LatestModel models, Redactor redactor) {
    this.models = models;
    this.route = new PredictHttpRoute(models, redactor);
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
    output.write(route.handle(new String(input.readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  /** One invocation: the HTTP API event's JSON in, the response's JSON out. Never throws. */
  public String handle(String invocation) {
    return route.handle(invocation);
  }
}
