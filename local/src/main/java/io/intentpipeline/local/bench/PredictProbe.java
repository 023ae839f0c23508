package io.intentpipeline.local.bench;

import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.predict.PredictHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The child process of {@code ./pipeline benchmark predict}: runs in a fresh JVM whose class path
 * is the shaded predict jar and this class alone, and does what the Lambda runtime does on a cold
 * start: builds the handler with its no-argument constructor (configuration from the environment,
 * model from S3) and invokes it with the event's bytes. Prints one line, {@code PROBE {...}}, with
 * its figures; the parent times the process from its start to that line.
 *
 * <p>Modes: {@code noop} (prints at once: the bare JVM, for reference), {@code cold EVENT},
 * {@code warm EVENT TEXTS MODEL WARMUP REQUESTS} (then heap after load, warm handler latency, and
 * the model's own predict latency for reference). Only the JDK and classes of the jar are used.
 */
public final class PredictProbe {
  private PredictProbe() {}

  /** {@code noop | cold EVENT | warm EVENT TEXTS MODEL WARMUP REQUESTS}; prints one PROBE line. */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("noop")) {
      System.out.println("PROBE {}");
      System.out.flush();
      return;
    }
    long baseline = args[0].equals("warm") ? usedHeapAfterGc() : 0;
    long start = System.nanoTime();
    PredictHandler handler = new PredictHandler();
    long built = System.nanoTime();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try (InputStream event = Files.newInputStream(Path.of(args[1]))) {
      handler.handleRequest(event, answer, null);
    }
    long answered = System.nanoTime();
    String first = String.format("\"status\":%d,\"construct_ms\":%.1f,\"first_request_ms\":%.1f,\"answer_bytes\":%d",
        status(answer.toByteArray()), (built - start) / 1e6, (answered - built) / 1e6, answer.size());
    if (args[0].equals("cold")) {
      System.out.println("PROBE {" + first + "}");
      System.out.flush();
      return;
    }
    long afterLoad = usedHeapAfterGc();
    List<String> texts = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
    int warmup = Integer.parseInt(args[4]);
    int requests = Integer.parseInt(args[5]);
    byte[][] events = new byte[texts.size()][];
    for (int i = 0; i < events.length; i++) {
      // Half GET, half POST, as the orchestrator may call either.
      events[i] = event(i % 2 == 0 ? "GET" : "POST", texts.get(i)).getBytes(StandardCharsets.UTF_8);
    }
    for (int i = 0; i < warmup; i++) {
      handler.handleRequest(new ByteArrayInputStream(events[i % events.length]), new ByteArrayOutputStream(), null);
    }
    int ok = 0;
    long[] handlerNanos = new long[requests];
    for (int i = 0; i < requests; i++) {
      byte[] e = events[i % events.length];
      long t = System.nanoTime();
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      handler.handleRequest(new ByteArrayInputStream(e), out, null);
      handlerNanos[i] = System.nanoTime() - t;
      if (status(out.toByteArray()) == 200) {
        ok++;
      }
    }
    IntentModel model = ModelCodec.read(Files.readAllBytes(Path.of(args[3])));
    for (int i = 0; i < warmup; i++) {
      model.predict(texts.get(i % texts.size()), 3);
    }
    long[] modelNanos = new long[requests];
    for (int i = 0; i < requests; i++) {
      String text = texts.get(i % texts.size());
      long t = System.nanoTime();
      model.predict(text, 3);
      modelNanos[i] = System.nanoTime() - t;
    }
    System.out.println("PROBE {" + first + String.format(
        ",\"heap_before_mb\":%.2f,\"heap_after_load_mb\":%.2f,\"max_heap_mb\":%.0f,\"ok\":%d,\"requests\":%d"
            + ",\"event_bytes\":%d,\"handler_p50_us\":%.2f,\"handler_p99_us\":%.2f,\"model_p50_us\":%.2f"
            + ",\"model_p99_us\":%.2f}",
        baseline / 1048576.0, afterLoad / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, ok, requests,
        events[0].length, percentile(handlerNanos, 0.50) / 1e3, percentile(handlerNanos, 0.99) / 1e3,
        percentile(modelNanos, 0.50) / 1e3, percentile(modelNanos, 0.99) / 1e3));
    System.out.flush();
  }

  /** The statusCode of an HTTP API response's JSON (it comes first in what the handler writes). */
  private static int status(byte[] response) {
    String text = new String(response, 0, Math.min(response.length, 40), StandardCharsets.UTF_8);
    int at = text.indexOf("\"statusCode\":");
    return at < 0 ? -1 : Integer.parseInt(text.substring(at + 13, at + 16));
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static double percentile(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** An HTTP API (payload 2.0) event as API Gateway sends it, for {@code text}. */
  private static String event(String method, String text) {
    String quoted = quote(text);
    String fields = method.equals("GET")
        ? ",\"rawQueryString\":\"text=...&top_k=3\",\"queryStringParameters\":{\"text\":" + quoted + ",\"top_k\":\"3\"}"
        : ",\"body\":" + quote("{\"text\": " + quoted + ", \"top_k\": 3}");
    return "{\"version\":\"2.0\",\"routeKey\":\"" + method + " /ai/training/predict\",\"rawPath\":\"/ai/training/predict\""
        + fields + ",\"headers\":{\"content-type\":\"application/json\",\"host\":\"abc123.execute-api.us-east-1.amazonaws.com\","
        + "\"user-agent\":\"orchestrator/1.0\"},\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"abc123\","
        + "\"domainName\":\"abc123.execute-api.us-east-1.amazonaws.com\",\"http\":{\"method\":\"" + method
        + "\",\"path\":\"/ai/training/predict\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"192.0.2.10\","
        + "\"userAgent\":\"orchestrator/1.0\"},\"requestId\":\"benchmark\",\"routeKey\":\"" + method
        + " /ai/training/predict\",\"stage\":\"$default\",\"time\":\"27/Nov/2026:14:05:00 +0000\","
        + "\"timeEpoch\":1795788300000},\"isBase64Encoded\":false}";
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
