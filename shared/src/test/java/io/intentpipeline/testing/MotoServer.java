package io.intentpipeline.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * moto's server (Python: {@code moto_server}, installed with the machine's Python tools), started
 * on a loopback port for one test class: the AWS services this project has no Java server for
 * (Secrets Manager, IAM). With {@code authenticatedAfter} set, moto checks every request after
 * that many (the test's set-up) as AWS does: the SigV4 signature against the access keys it
 * issued, and the caller's IAM policies.
 */
public final class MotoServer implements AutoCloseable {
  private final Process process;
  private final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** The {@code moto_server} executable on the PATH, if any. */
  public static Optional<Path> executable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "moto_server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts moto on a free loopback port; requests after the first {@code authenticatedAfter} are
   * authenticated and authorised (a negative value: never).
   */
  public static MotoServer start(int authenticatedAfter) throws IOException, InterruptedException {
    Path exe = executable().orElseThrow(() -> new IllegalStateException("moto_server is not on the PATH"));
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (authenticatedAfter >= 0) {
      builder.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", Integer.toString(authenticatedAfter));
    }
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return new MotoServer(process, URI.create("http://127.0.0.1:" + port + "/"));
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("moto_server exited with " + process.exitValue() + " before it listened");
        }
        Thread.sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IOException("moto_server did not listen on " + port + " within 30 s");
  }

  /** Where the AWS clients go ({@code AWS_ENDPOINT_URL_...}). */
  public URI endpoint() {
    return endpoint;
  }

  /** What moto answered: status and body. */
  public record Reply(int status, String body) {}

  /**
   * A JSON-protocol call ({@code X-Amz-Target: <target>}), unsigned: for the set-up, while moto
   * still lets requests through unauthenticated.
   */
  public Reply json(String service, String target, String body) throws IOException {
    return post(service, Map.of("X-Amz-Target", target, "Content-Type", "application/x-amz-json-1.1"), body);
  }

  /** A query-protocol call (IAM), unsigned: for the set-up. */
  public Reply query(String service, String formBody) throws IOException {
    return post(service, Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), formBody);
  }

  private Reply post(String service, Map<String, String> headers, String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
    try {
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      headers.forEach(connection::setRequestProperty);
      // moto tells the service of an unsigned request by the scope of this header.
      connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/"
          + service + "/aws4_request, SignedHeaders=host, Signature=0");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      var in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      connection.disconnect();
    }
  }

  /** Form-encodes {@code fields} for {@link #query}. */
  public static String form(List<Map.Entry<String, String>> fields) {
    StringBuilder out = new StringBuilder();
    for (var field : fields) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(java.net.URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(java.net.URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
