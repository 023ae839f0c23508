package io.intentpipeline.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.log.Log;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Dispatches HTTP API requests to routes by method and exact path.
 *
 * <p>An {@link InvalidRequestException} becomes a 400 naming its field, an {@link ApiException} its
 * status and JSON error; anything else becomes a 500 whose
 * body reveals nothing internal, logged with the request id.
 */
public final class Router {
  private final Map<String, Map<String, Function<HttpRequest, APIGatewayV2HTTPResponse>>> routes =
      new LinkedHashMap<>();

  /** Adds a route; {@code path} is exact, for example {@code /ai/training/predict}. */
  public Router route(String method, String path, Function<HttpRequest, APIGatewayV2HTTPResponse> handler) {
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
    return this;
  }

  /** The route keys this router serves, as {@code "METHOD /path"}. */
  public java.util.SortedSet<String> routeKeys() {
    var keys = new TreeSet<String>();
    routes.forEach((path, byMethod) -> byMethod.keySet().forEach(m -> keys.add(m + " " + path)));
    return keys;
  }

  /** Handles one request; never throws. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      return ApiResponses.error(ApiException.badRequest(new InvalidRequestException("event", "Empty event")));
    }
    HttpRequest request = new HttpRequest(event);
    if (!AdminGroup.allows(event)) {
      return ApiResponses.error(new ApiException(403, "forbidden",
          "Signed in, but not in the " + AdminGroup.NAME + " group of the console's user pool", null));
    }
    var byMethod = routes.get(request.path());
    if (byMethod == null) {
      return ApiResponses.error(
          new ApiException(404, "route_not_found", "No route for " + request.path(), null));
    }
    var handler = byMethod.get(request.method());
    if (handler == null) {
      var response = ApiResponses.error(new ApiException(405, "method_not_allowed",
          "Method " + request.method() + " not allowed on " + request.path() + "; allowed: "
              + String.join(", ", byMethod.keySet()), null));
      response.getHeaders().put("allow", String.join(", ", byMethod.keySet()));
      return response;
    }
    try {
      return handler.apply(request);
    } catch (InvalidRequestException e) {
      return ApiResponses.error(ApiException.badRequest(e));
    } catch (ApiException e) {
      if (e.status() >= 500) {
        Log.error("request_failed", "route", request.method() + " " + request.path(),
            "request_id", request.requestId(), "status", e.status(), "code", e.code());
      }
      return ApiResponses.error(e);
    } catch (RuntimeException e) {
      Log.error("request_crashed", e, "route", request.method() + " " + request.path(),
          "request_id", request.requestId());
      return ApiResponses.error(new ApiException(500, "internal_error",
          "Internal error; request id " + request.requestId(), null));
    }
  }
}
