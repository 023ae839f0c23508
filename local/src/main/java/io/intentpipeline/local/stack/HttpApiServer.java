package io.intentpipeline.local.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API on 127.0.0.1: each request becomes the API Gateway payload 2.0 event of its
 * route and goes to that route's function; the function's response goes back to the client.
 * Like API Gateway it answers 404 {@code {"message":"Not Found"}} for a request no route
 * matches, 500 when the function fails, 503 when it times out or outlasts the route's
 * integration timeout (30 s at most), and 413 past 10 MB.
 */
final class HttpApiServer implements AutoCloseable {
  static final int MAX_BODY = 10 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ExecutorService invoker;
  private final RouteTable routes;
  private final Map<String, LocalFunction> functions;
  private final Optional<ConsoleFiles> console;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopping;

  static {
    // The JDK server writes an answer's headers and body apart; with Nagle's algorithm on, each
    // answer then waits for the client's delayed ACK (about 40 ms: a BANKING77 simulation took
    // 634 s with the wait, 167 s without). Read once, when the JDK's server classes first load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  HttpApiServer(int port, RouteTable routes, Map<String, LocalFunction> functions) throws IOException {
    this(port, routes, functions, Optional.empty());
  }

  /** Also serving the admin console's files at {@code /console/}, when {@code console} is given. */
  HttpApiServer(int port, RouteTable routes, Map<String, LocalFunction> functions, Optional<ConsoleFiles> console)
      throws IOException {
    this.routes = routes;
    this.functions = functions;
    this.console = console;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger count = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "http-api-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    this.invoker = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "http-invoke-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8770}. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String requestId = Base64.getUrlEncoder().withoutPadding().encodeToString(
        UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)).substring(0, 16);
    inFlight.incrementAndGet();
    try {
      ApiGatewayEvents.Response response;
      if (stopping) {
        response = ApiGatewayEvents.error(503, "Service Unavailable");
      } else {
        try {
          response = answer(exchange, requestId);
        } catch (RuntimeException e) {
          Log.error("http_api_failed", e, "request_id", requestId);
          response = ApiGatewayEvents.error(500, "Internal Server Error");
        }
      }
      write(exchange, response, requestId);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private ApiGatewayEvents.Response answer(HttpExchange exchange, String requestId) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    Optional<RouteTable.Match> match = routes.match(method, rawPath);
    byte[] body = readBody(exchange.getRequestBody());
    if (body == null) {
      return ApiGatewayEvents.error(413, "Request Entity Too Large");
    }
    if (console.isPresent() && ConsoleFiles.owns(rawPath)) {
      return console.get().answer(method, rawPath);
    }
    if (match.isEmpty()) {
      var allowed = routes.allowedMethods(rawPath);
      return allowed.isEmpty() ? ApiGatewayEvents.error(404, "Not Found")
          : ApiGatewayEvents.methodNotAllowed(method, rawPath, allowed);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
    String host = exchange.getRequestHeaders().getFirst("Host");
    var request = new ApiGatewayEvents.Request(method, rawPath, uri.getRawQuery(), headers, body,
        exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
    var event = ApiGatewayEvents.event(request, match.get(), requestId, Instant.now(),
        host != null ? host : url().getAuthority());
    LocalFunction function = functions.get(match.get().route().functionId());
    byte[] payload = Json.write(event).getBytes(StandardCharsets.UTF_8);
    Future<byte[]> invocation = invoker.submit(() -> function.invoke(payload, "http"));
    try {
      byte[] output = invocation.get(match.get().route().integrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return ApiGatewayEvents.response(output);
    } catch (TimeoutException e) {
      // As API Gateway: the caller gets 503 while the function goes on until its own timeout.
      Log.warn("integration_timeout", "request_id", requestId, "function", function.id());
      return ApiGatewayEvents.error(503, "Service Unavailable");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvocationException failure) {
        return failure.timedOut() ? ApiGatewayEvents.error(503, "Service Unavailable")
            : ApiGatewayEvents.error(500, "Internal Server Error");
      }
      throw new IllegalStateException("Invocation failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ApiGatewayEvents.error(503, "Service Unavailable");
    }
  }

  /** The whole body, or null past {@link #MAX_BODY}. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      in.skip(Long.MAX_VALUE);
      return null;
    }
    return body;
  }

  private static void write(HttpExchange exchange, ApiGatewayEvents.Response response, String requestId)
      throws IOException {
    try (exchange) {
      var headers = exchange.getResponseHeaders();
      for (Map.Entry<String, String> header : response.headers()) {
        headers.add(header.getKey(), header.getValue());
      }
      headers.set("apigw-requestid", requestId);
      boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD") || response.status() == 204
          || response.status() == 304 || response.body().length == 0;
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  /**
   * Refuses new requests (503), lets those in progress finish (up to {@code graceSeconds}), then
   * closes the port. (JDK 17's {@code HttpServer.stop(delay)} always waits the whole delay, so
   * the wait is done here.)
   */
  void stop(int graceSeconds) {
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop(0);
    executor.shutdown();
    invoker.shutdown();
    try {
      executor.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(0);
  }
}
