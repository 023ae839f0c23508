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
import io.intentpipeline.review.UndoOutcome;
import io.intentpipeline.review.UndoRequest;
import java.util.Set;

/**
 * Human review over the HTTP API.
 *
 * <ul>
 *   <li>{@code POST /ai/training/correction}: records a correction (201, or 200 when the same
 *       correction was already recorded; 404 for an unknown sample);
 *   <li>{@code POST /ai/training/correction/undo}: undoes one correction ({@code correction_id}):
 *       the row gets back what it had before it (200); 409 when it cannot be undone (already
 *       undone, not the row's latest correction, recorded before db/V17, or a training run used the
 *       row since), 404 for an unknown correction;
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
        .route("POST", "/ai/training/correction/undo", request -> undo(reviews, request))
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

  private static APIGatewayV2HTTPResponse undo(ReviewService reviews, HttpRequest request) {
    QueryParams.of(request, Set.of());
    UndoRequest undo = UndoRequest.fromJson(request.jsonBody());
    UndoOutcome outcome = DatabaseCalls.call(() -> reviews.undo(undo))
        .orElseThrow(() -> new ApiException(404, "not_found", "No correction with id " + undo.correctionId(),
            "correction_id"));
    Log.info("correction_undo", "correction_id", outcome.correctionId(), "training_data_id", outcome.trainingDataId(),
        "status", outcome.status());
    if (!outcome.undone()) {
      throw new ApiException(409, outcome.status(), switch (outcome.status()) {
        case "already_undone" -> "Correction " + undo.correctionId() + " is already undone";
        case "not_latest" -> "Correction " + undo.correctionId() + " is not the latest correction of its sample;"
            + " only the latest can be undone";
        case "no_previous_state" -> "Correction " + undo.correctionId() + " was recorded before undo existed"
            + " (db/V17) and keeps no previous state; submit a new correction instead";
        case "trained_since" -> "A training run used the sample after correction " + undo.correctionId()
            + "; submit a new correction instead";
        default -> "Correction " + undo.correctionId() + " cannot be undone: " + outcome.status();
      }, "correction_id");
    }
    return ApiResponses.json(200, outcome);
  }
}
