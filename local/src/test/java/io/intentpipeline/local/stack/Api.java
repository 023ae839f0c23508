package io.intentpipeline.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A client of the local stack's HTTP API, as curl would be. */
final class Api {
  /** An answer: status, content type, {@code Allow} (empty when absent) and body (parsed when it is JSON). */
  record Answer(int status, String contentType, String allow, String text) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON (" + status + "): " + text, e);
      }
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  Api(URI base) {
    this.base = base;
  }

  Answer get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  Answer post(String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer send(String method, String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", contentType)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
          response.headers().firstValue("allow").orElse(""), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until {@code condition} holds, polling; fails naming {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
