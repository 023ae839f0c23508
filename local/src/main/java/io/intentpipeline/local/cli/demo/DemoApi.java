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

/**
 * The HTTP client of a local stack's API that demo and simulate drive it with: JSON in, status and
 * JSON out, and the waits for a flush and a training run.
 */
public final class DemoApi {
  /** An answer of the API. */
  public record Answer(int status, JsonNode body) {
    /** Fails with the route and the answer unless the status is {@code expected}. */
    public Answer expect(String route, int... expected) {
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

  /** A client of the API at {@code base}. */
  public DemoApi(URI base) {
    this.base = base;
  }

  /** GET of {@code pathAndQuery}. */
  public Answer get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  /** POST of {@code body} (a JSON text, or a value written as JSON) to {@code path}. */
  public Answer post(String path, Object body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
  }

  /**
   * Flushes until the dataset statistics count at least {@code expected} samples (the queue's
   * event source stores batches as they come), and returns the count; fails after 60 s.
   */
  public int flushUntil(int expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      post("/ai/training/flush", "").expect("POST /ai/training/flush", 200);
      int stored = get("/ai/training/dataset/stats").expect("GET /ai/training/dataset/stats", 200)
          .body().path("total_samples").asInt();
      if (stored >= expected) {
        return stored;
      }
      if (System.nanoTime() > deadline) {
        throw new DemoException("Only " + stored + " of " + expected + " interactions were stored within 60 s");
      }
      sleep(500);
    }
  }

  /**
   * Starts a training run with {@code request} and returns it once it ended (completed, failed
   * or skipped); fails when it has not ended within {@code timeout}.
   */
  public JsonNode runToEnd(Object request, String what, Duration timeout) {
    JsonNode queued = post("/ai/training/run", request).expect("POST /ai/training/run", 202).body();
    String runId = queued.path("run_id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode run = get("/ai/training/runs?run_id=" + runId).expect("GET /ai/training/runs", 200)
          .body().path("items").path(0);
      String status = run.path("status").asText("");
      if (java.util.Set.of("completed", "failed", "skipped").contains(status)) {
        return run;
      }
      if (System.nanoTime() > deadline) {
        throw new DemoException("The " + what + " " + runId + " did not finish within " + timeout.toSeconds()
            + " s (status '" + status + "')");
      }
      sleep(300);
    }
  }

  /** Sleeps {@code millis}; an interruption is a {@link DemoException}. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoException("Interrupted");
    }
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
