package io.intentpipeline.correction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.Router;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.log.Log;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.storage.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The correction function: human review over the HTTP API ({@link CorrectionHttpRoutes}). */
public final class CorrectionHandler implements RequestStreamHandler {
  private final Router routes;

  /** Reads the configuration of the process environment and connects to the database it names. */
  public CorrectionHandler() {
    this(Env.system());
  }

  /**
   * With the configuration of {@code env} instead of the process environment (the local stack):
   * the database, and the queue's order when a request names none ({@code REVIEW_ORDER}).
   */
  public CorrectionHandler(Env env) {
    this(new ReviewService(new Database(Database.Settings.fromEnv(env), "correction-function")),
        ReviewOrder.fromEnv(env), Redactor.fromEnv(env));
  }

  /**
   * Serves the routes with {@code reviews}; the queue in {@code defaultOrder} when a request names
   * none; a corrected answer and notes redacted by default, as record redacts the bot's answer.
   */
  public CorrectionHandler(ReviewService reviews, ReviewOrder defaultOrder) {
    this(reviews, defaultOrder, Redactor.standard());
  }

  /**
   * Serves the routes with {@code reviews}; the queue in {@code defaultOrder} when a request names
   * none; {@code redactor} applied to the reviewer's corrected answer and notes before they are stored.
   */
  public CorrectionHandler(ReviewService reviews, ReviewOrder defaultOrder, Redactor redactor) {
    this.routes = CorrectionHttpRoutes.router(reviews, defaultOrder, redactor);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (!(event instanceof LambdaEvent.Http http)) {
      Log.error("unsupported_event", "type", event.getClass().getSimpleName());
      throw new IllegalArgumentException(
          "The correction function serves HTTP API requests only, got a " + event.getClass().getSimpleName() + " event");
    }
    LambdaEvents.write(routes.handle(http.event()), output);
  }
}
