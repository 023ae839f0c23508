package io.intentpipeline.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin console's static files (the project's {@code console/} folder) at {@code /console/} on
 * the HTTP API's port, with the headers CloudFront adds in AWS: a strict Content-Security-Policy
 * (everything from this origin only, no inline script or style, no frame), no MIME sniffing, no
 * referrer. {@code /console/config.json} tells the page where the API is: here, the same origin
 * and no sign-in.
 */
final class ConsoleFiles {
  static final String PREFIX = "/console";
  /** The policy of every console answer; the AWS one differs only by the API's origin in connect-src. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none';"
      + " form-action 'none'; frame-ancestors 'none'";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "txt", "text/plain; charset=utf-8");
  private static final String LOCAL_CONFIG = "{\"api\": \"\", \"auth\": null, \"environment\": \"local\"}";

  private final Path root;

  ConsoleFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The console of the project whose template is {@code template}: its {@code console/} folder, when there is one. */
  static Optional<ConsoleFiles> beside(Path template) {
    Path parent = template.toAbsolutePath().getParent();
    if (parent == null) {
      return Optional.empty();
    }
    Path folder = parent.resolve("console");
    return Files.isRegularFile(folder.resolve("index.html")) ? Optional.of(new ConsoleFiles(folder)) : Optional.empty();
  }

  /** Whether {@code rawPath} is the console's. */
  static boolean owns(String rawPath) {
    return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
  }

  /** The answer to {@code method rawPath} (one that {@link #owns}). */
  ApiGatewayEvents.Response answer(String method, String rawPath) throws IOException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return with(405, "text/plain; charset=utf-8", "Method Not Allowed\n".getBytes(), List.of(Map.entry("allow", "GET, HEAD")));
    }
    if (rawPath.equals(PREFIX)) {
      return with(308, "text/plain; charset=utf-8", new byte[0], List.of(Map.entry("location", PREFIX + "/")));
    }
    String relative = rawPath.substring(PREFIX.length() + 1);
    if (relative.isEmpty()) {
      relative = "index.html";
    }
    if (relative.equals("config.json")) {
      return with(200, TYPES.get("json"), LOCAL_CONFIG.getBytes(), List.of());
    }
    if (!relative.matches("[A-Za-z0-9._/-]{1,200}") || relative.contains("..") || relative.startsWith("/")) {
      return notFound();
    }
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      return notFound();
    }
    String name = file.getFileName().toString();
    String extension = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(extension);
    if (type == null) {
      return notFound();
    }
    return with(200, type, Files.readAllBytes(file), List.of());
  }

  private static ApiGatewayEvents.Response notFound() {
    return with(404, "text/plain; charset=utf-8", "Not Found\n".getBytes(), List.of());
  }

  private static ApiGatewayEvents.Response with(int status, String type, byte[] body, List<Map.Entry<String, String>> extra) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(extra);
    headers.add(Map.entry("content-type", type));
    headers.add(Map.entry("content-security-policy", CONTENT_SECURITY_POLICY));
    headers.add(Map.entry("x-content-type-options", "nosniff"));
    headers.add(Map.entry("referrer-policy", "no-referrer"));
    headers.add(Map.entry("x-frame-options", "DENY"));
    headers.add(Map.entry("cache-control", "no-cache"));
    return new ApiGatewayEvents.Response(status, headers, body);
  }
}
