package io.intentpipeline.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.config.Env;
import io.intentpipeline.json.Json;
import java.util.Map;

/** A typed handler of the test template: answers its GREETING variable and what the event and context carried. */
public final class GreetingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final String greeting;

  /** Reads GREETING from {@code env}. */
  public GreetingHandler(Env env) {
    this.greeting = env.required("GREETING");
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String body = Json.write(Map.of(
        "greeting", greeting,
        "name", event.getPathParameters().get("name"),
        "route_key", event.getRouteKey(),
        "query", String.valueOf(event.getQueryStringParameters()),
        "remaining_ms", context.getRemainingTimeInMillis(),
        "request_id", context.getAwsRequestId()));
    return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withHeaders(Map.of("content-type", "application/json")).withBody(body).build();
  }
}
