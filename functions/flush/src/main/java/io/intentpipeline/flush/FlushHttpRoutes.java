package io.intentpipeline.flush;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.Router;
import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.log.Log;
import io.intentpipeline.queue.QueueUnavailableException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code POST /ai/training/flush}: drains the interactions queue now and answers the counts;
 * {@code GET /ai/training/stats}: the pipeline's state for the admin console ({@link PipelineStats}).
 */
final class FlushHttpRoutes {
  private FlushHttpRoutes() {}

  /** The routes, bound to this invocation's {@code context} (null outside Lambda) for its time budget. */
  static Router router(FlushHandler.Wiring wiring, java.util.Optional<PipelineStats> stats, Context context) {
    Router router = new Router().route("POST", "/ai/training/flush", request -> drain(wiring, request, context));
    stats.ifPresent(s -> router.route("GET", "/ai/training/stats", request -> {
      io.intentpipeline.http.QueryParams.of(request, java.util.Set.of());
      return ApiResponses.json(200, io.intentpipeline.http.DatabaseCalls.call(s::read));
    }));
    return router;
  }

  private static APIGatewayV2HTTPResponse drain(FlushHandler.Wiring wiring, HttpRequest request, Context context) {
    Duration budget = wiring.drainBudget();
    if (context != null) {
      // Leave time to answer before Lambda's own timeout.
      Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minusSeconds(3);
      if (left.compareTo(budget) < 0) {
        budget = left.isNegative() ? Duration.ZERO : left;
      }
    }
    FlushService.DrainResult result;
    try {
      result = wiring.service().drain(wiring.sqs(), wiring.queueUrl(), budget);
    } catch (SQLException e) {
      Log.error("drain_failed", "request_id", request.requestId(), "sqlstate", e.getSQLState());
      throw ApiException.unavailable("database_unavailable",
          "The database is unavailable; the messages stay in the queue. Retry later.");
    } catch (QueueUnavailableException e) {
      Log.error("drain_failed", e, "request_id", request.requestId());
      throw ApiException.unavailable("queue_unavailable", "The interactions queue is unavailable. Retry later.");
    }
    return ApiResponses.json(200, result);
  }
}
