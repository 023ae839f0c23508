package io.intentpipeline.local.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The demo's HTTP client of the local stack's API: JSON in, status and JSON out. */
final class DemoApi {
  /** An answer of the API. */
  record Answer(int status, JsonNode body) {
    /** Fails with the route and the answer unless the status is {@code expected}. */
    Answer expect(String route, int... expected) {
      for (int e : expected) {
        if (status == e) {
          return this;
        }
      }
      throw new DemoException(route + " answered " + status + ": " + body);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  DemoApi(URI base) {
    this.base = base;
  }

  Answer get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  Answer post(String path, Object body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(response.body());
      return new Answer(response.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException("The local stack's API did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoException("Interrupted");
    }
  }
}
