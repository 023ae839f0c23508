package io.intentpipeline.aws;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.json.JsonLite;
import io.intentpipeline.json.JsonStrings;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One secret of AWS Secrets Manager, read with a single signed {@code GetSecretValue} call.
 *
 * <p>Not the SDK's Secrets Manager client: the functions read their database login once per cold
 * start, and building a service client for that one call would load hundreds of SDK classes on
 * that start. The request is signed with the SDK's SigV4 signer and sent with the JDK's
 * {@link HttpURLConnection}, as {@code S3ModelObject} does for the model. The secret's value never
 * appears in an exception message or a log line.
 */
public final class SecretsManagerSecret {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final AwsSettings aws;
  private final String secretId;
  private final String variable;

  /**
   * The secret {@code secretId} (an ARN or a name), reached with the region, credentials and
   * endpoint of {@code aws}; {@code variable} names where the id came from, in error messages.
   */
  public SecretsManagerSecret(AwsSettings aws, String secretId, String variable) {
    this.aws = aws;
    this.secretId = secretId;
    this.variable = variable;
  }

  /**
   * The secret's current {@code SecretString}. A network failure is retried once; every failure
   * is a {@link ConfigException} naming the variable and, when Secrets Manager answered, its error
   * code (ResourceNotFoundException, AccessDeniedException, ...).
   */
  public String secretString() {
    String body = "{\"SecretId\":" + quoted(secretId) + "}";
    Answer answer;
    try {
      answer = call(body);
    } catch (IOException first) {
      try {
        Thread.sleep(200);
        answer = call(body);
      } catch (IOException second) {
        throw new ConfigException("Cannot read the secret named by " + variable + " from Secrets Manager at "
            + endpoint() + ": " + second.getClass().getSimpleName() + ": " + second.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConfigException("Interrupted reading the secret named by " + variable);
      }
    }
    if (answer.status() != 200) {
      throw new ConfigException("Cannot read the secret named by " + variable + ": Secrets Manager answered HTTP "
          + answer.status() + errorCode(answer.body()));
    }
    Object secret;
    try {
      secret = JsonLite.parseObject(answer.body()).get("SecretString");
    } catch (InvalidRequestException e) {
      throw new ConfigException("Cannot read the secret named by " + variable
          + ": Secrets Manager's answer is not a JSON object");
    }
    if (!(secret instanceof String text)) {
      throw new ConfigException("The secret named by " + variable
          + " has no SecretString (a binary secret cannot hold a database login)");
    }
    return text;
  }

  /** Where the call goes: {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (emulators), else the region's endpoint. */
  URI endpoint() {
    Optional<URI> override = aws.endpoint("SECRETS_MANAGER");
    if (override.isPresent()) {
      return override.get();
    }
    String region = region();
    String domain = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    return URI.create("https://secretsmanager." + region + domain + "/");
  }

  /** The secret's own region when its id is an ARN (a secret may live elsewhere), else the function's. */
  String region() {
    String[] parts = secretId.split(":", 7);
    if (parts.length == 7 && parts[0].equals("arn") && parts[2].equals("secretsmanager") && !parts[3].isEmpty()) {
      return parts[3];
    }
    return aws.region().id();
  }

  private record Answer(int status, String body) {}

  private Answer call(String body) throws IOException {
    URI uri = endpoint();
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(uri)
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
        .build();
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(aws.credentials().resolveCredentials())
        .request(unsigned)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region())).request();
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(false);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(payload.length);
      // Host is set by the connection itself, from the same URI the signature covers.
      signed.headers().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("host")) {
          values.forEach(value -> connection.addRequestProperty(name, value));
        }
      });
      try (OutputStream out = connection.getOutputStream()) {
        out.write(payload);
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      // A secret holds at most 64 KB; the answer adds its metadata.
      String text = in == null ? "" : new String(in.readNBytes(256 * 1024), StandardCharsets.UTF_8);
      return new Answer(status, text);
    } finally {
      connection.disconnect();
    }
  }

  /** Secrets Manager's error type from an error body, e.g. " ResourceNotFoundException"; never its message. */
  private static String errorCode(String body) {
    // Errors of the request's signature or authorisation may come as XML.
    int start = body.indexOf("<Code>");
    int end = body.indexOf("</Code>");
    if (start >= 0 && end > start && end - start < 120) {
      return " " + body.substring(start + 6, end);
    }
    try {
      Map<String, Object> error = JsonLite.parseObject(body);
      Object type = error.get("__type");
      if (type instanceof String code && code.length() < 120) {
        // Some answers prefix the type with a namespace ("com.amazonaws...#AccessDeniedException").
        return " " + code.substring(code.lastIndexOf('#') + 1);
      }
    } catch (InvalidRequestException e) {
      // not JSON: no code to report
    }
    return "";
  }

  private static String quoted(String s) {
    StringBuilder out = new StringBuilder();
    JsonStrings.quote(out, s);
    return out.toString();
  }
}
