package io.intentpipeline.correction;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import io.intentpipeline.log.Log;
import io.intentpipeline.review.CorrectionOutcome;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.review.CorrectionRequest;
import io.intentpipeline.review.ErrorFilter;
import io.intentpipeline.review.PendingReviewFilter;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import java.util.Set;

/**
 * Human review over the HTTP API.
 *
 * <ul>
 *   <li>{@code POST /ai/training/correction}: records a correction (201, or 200 when the same
 *       correction was already recorded; 404 for an unknown sample);
 *   <li>{@code GET /ai/training/pending-review}: the samples waiting for a human, the audit sample
 *       first (by id), then the others in the order asked ({@code order}, else the configured one:
 *       {@link ReviewOrder}); filtered (also by {@code reason}) and paginated by cursor;
 *   <li>{@code GET /ai/training/errors}: classification errors, newest first, paginated.
 * </ul>
 */
final class CorrectionHttpRoutes {
  private CorrectionHttpRoutes() {}

  /**
   * The routes, served with {@code reviews}; {@code defaultOrder}: the queue's order when a request
   * names none; {@code redactor}: applied to a correction's answer and notes before they are stored.
   */
  static Router router(ReviewService reviews, ReviewOrder defaultOrder, Redactor redactor) {
    return new Router()
        .route("POST", "/ai/training/correction", request -> submit(reviews, redactor, request))
        .route("GET", "/ai/training/pending-review", request -> {
          QueryParams query = QueryParams.of(request, PendingReviewFilter.PARAMETERS);
          var filter = PendingReviewFilter.from(query);
          var order = ReviewOrder.from(query, defaultOrder);
          var page = PageRequest.from(query);
          return ApiResponses.json(200, DatabaseCalls.call(() -> reviews.pendingReview(filter, order, page)));
        })
        .route("GET", "/ai/training/errors", request -> {
          QueryParams query = QueryParams.of(request, ErrorFilter.PARAMETERS);
          var filter = ErrorFilter.from(query);
          var page = PageRequest.from(query);
          return ApiResponses.json(200, DatabaseCalls.call(() -> reviews.errors(filter, page)));
        });
  }

  private static APIGatewayV2HTTPResponse submit(ReviewService reviews, Redactor redactor, HttpRequest request) {
    QueryParams.of(request, Set.of());
    CorrectionRequest correction = CorrectionRequest.fromJson(request.jsonBody()).redacted(redactor::apply);
    CorrectionOutcome outcome = DatabaseCalls.call(() -> reviews.submit(correction))
        .orElseThrow(() -> new ApiException(404, "not_found", "No training data with id " + correction.trainingDataId(),
            "training_data_id"));
    Log.info("correction_submitted", "training_data_id", outcome.trainingDataId(),
        "correction_id", outcome.correctionId(), "mismatch", outcome.wasMismatch(), "new_intent", outcome.newIntent(), "duplicate", outcome.duplicate());
    return ApiResponses.json(outcome.duplicate() ? 200 : 201, outcome);
  }
}
