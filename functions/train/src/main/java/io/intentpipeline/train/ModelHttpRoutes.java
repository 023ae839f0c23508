package io.intentpipeline.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The admin console's model routes (issue 15), on the train function beside the runs:
 * {@code GET /ai/training/models} (the versions in the bucket, which one latest serves, the recent
 * roll backs), {@code POST /ai/training/models/rollback} ({@code {"model_version": "...",
 * "reason": "..."}}: 200 with the recorded roll back; 400, 404, 409 as {@link ModelAdmin#rollback}
 * says) and {@code GET /ai/training/runs/report?run_id=} (a presigned URL of the run's HTML report).
 */
final class ModelHttpRoutes {
  private ModelHttpRoutes() {}

  /** Adds the routes to {@code router}. */
  static Router addTo(Router router, ModelAdmin admin) {
    return router
        .route("GET", "/ai/training/models", request -> {
          QueryParams.of(request, Set.of());
          return ApiResponses.json(200, DatabaseCalls.call(admin::catalog));
        })
        .route("POST", "/ai/training/models/rollback", request -> {
          QueryParams.of(request, Set.of());
          JsonNode body = request.jsonBody();
          JsonNode version = body.get("model_version");
          if (version == null || !version.isTextual() || version.asText().isBlank()) {
            throw new ApiException(400, "invalid_request", "model_version is required (a text)", "model_version");
          }
          JsonNode reasonNode = body.get("reason");
          Optional<String> reason = reasonNode == null || reasonNode.isNull() || reasonNode.asText().isBlank()
              ? Optional.empty() : Optional.of(reasonNode.asText().strip());
          if (reason.isPresent() && reason.get().length() > 1000) {
            throw new ApiException(400, "invalid_request", "reason is at most 1000 characters", "reason");
          }
          String actor = actor(request);
          return ApiResponses.json(200, DatabaseCalls.call(
              () -> admin.rollback(version.asText().strip(), actor, reason, request.requestId())));
        })
        .route("GET", "/ai/training/runs/report", request -> {
          QueryParams query = QueryParams.of(request, Set.of("run_id"));
          String raw = query.string("run_id").orElseThrow(
              () -> new ApiException(400, "invalid_request", "run_id is required", "run_id"));
          UUID runId;
          try {
            runId = UUID.fromString(raw);
          } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_request", "run_id must be a UUID, got '" + raw + "'", "run_id");
          }
          return ApiResponses.json(200, DatabaseCalls.call(() -> admin.reportUrl(runId)));
        });
  }

  /**
   * Who called: the Cognito user of a JWT-authorized request (email, else username, else sub),
   * else the IAM caller's ARN, else {@code local} (the local stack authorizes nothing).
   */
  static String actor(HttpRequest request) {
    APIGatewayV2HTTPEvent.RequestContext context = request.event().getRequestContext();
    var authorizer = context == null ? null : context.getAuthorizer();
    if (authorizer != null && authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
      var claims = authorizer.getJwt().getClaims();
      for (String claim : new String[] {"email", "cognito:username", "username", "sub"}) {
        String value = claims.get(claim);
        if (value != null && !value.isBlank()) {
          return clip("cognito:" + value);
        }
      }
    }
    if (authorizer != null && authorizer.getIam() != null && authorizer.getIam().getUserArn() != null) {
      return clip(authorizer.getIam().getUserArn());
    }
    return "local";
  }

  private static String clip(String value) {
    return value.length() > 320 ? value.substring(0, 320) : value;
  }
}
