package io.intentpipeline.serving;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One model object in S3, read with a conditional GET: given the ETag of the bytes already held,
 * S3 answers 304 and nothing is downloaded unless the object changed.
 *
 * <p>The request is signed with the AWS SDK's SigV4 signer and sent by {@link HttpGetter}; the
 * SDK's S3 client is not used, because building it and sending its first request costs hundreds
 * of milliseconds of class loading on every cold start, for one GET. Addressing: path-style under
 * {@code AWS_ENDPOINT_URL_S3} (emulators), else virtual-hosted
 * {@code https://<bucket>.s3.<region>.amazonaws.com} (path-style for bucket names with dots).
 */
public final class S3ModelObject implements AutoCloseable {
  /**
   * Where the model in service lives in the bucket: {@link ModelStore#LATEST_KEY}, a constant
   * expression that javac copies here, so predict's path loads no storage class for it.
   */
  public static final String LATEST_KEY = ModelStore.LATEST_KEY;

  private final Supplier<AwsSettings> settings;
  private final String bucket;
  private final String key;
  private final HttpGetter http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private volatile Target target;

  /** Where requests go and as whom, built from settings once and again after {@link #reconnect()}. */
  private record Target(AwsSettings aws, URI uri) {}

  /**
   * The object {@code bucket}/{@code key}, reached with the region, credentials and endpoint of
   * {@code settings} (read now, and again after {@link #reconnect()}), over {@code http}.
   */
  public S3ModelObject(Supplier<AwsSettings> settings, String bucket, String key, HttpGetter http) {
    this.settings = settings;
    this.bucket = bucket;
    this.key = key;
    this.http = http;
    this.target = target(settings.get());
  }

  /** What a conditional GET found. */
  public sealed interface Fetch permits Changed, NotModified, Missing {}

  /** The object differs from the ETag given: its bytes and its ETag (as S3 quotes it). */
  public record Changed(byte[] bytes, String etag) implements Fetch {}

  /** The object still has the ETag given: nothing was downloaded. */
  public record NotModified() implements Fetch {}

  /** There is no such object. */
  public record Missing() implements Fetch {}

  /**
   * GETs the object unless its ETag is {@code knownEtag} (null: unconditionally). A network
   * failure or an S3 error is retried once, then thrown as {@link UncheckedIOException}.
   */
  public Fetch fetch(String knownEtag) {
    try {
      return fetchOnce(knownEtag);
    } catch (IOException first) {
      try {
        Thread.sleep(100);
        return fetchOnce(knownEtag);
      } catch (IOException second) {
        second.addSuppressed(first);
        throw new UncheckedIOException("GET " + this + " failed: " + second.getMessage(), second);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UncheckedIOException("GET " + this + " interrupted", first);
      }
    }
  }

  private Fetch fetchOnce(String knownEtag) throws IOException {
    Target current = target();
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(current.uri());
    if (knownEtag != null) {
      request.putHeader("If-None-Match", knownEtag);
    }
    SdkHttpRequest unsigned = request.build();
    SdkHttpRequest signed = signer.sign(r -> r
        .identity(current.aws().credentials().resolveCredentials())
        .request(unsigned)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, current.aws().region().id())
        // S3's rules: the path is signed as sent, and the (empty) payload is not hashed.
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
    HttpGetter.Response response = http.get(current.uri(), signed.headers());
    return switch (response.status()) {
      case 200 -> new Changed(response.body(), response.etag());
      case 304 -> new NotModified();
      case 404 -> new Missing();
      default -> throw new IOException("S3 answered " + response.status() + errorCode(response.body())
          + (response.status() == 403 ? " (without s3:ListBucket a missing object also answers 403)" : ""));
    };
  }

  /** S3's error code from an XML error body, e.g. " AccessDenied"; empty when there is none. */
  private static String errorCode(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    int start = text.indexOf("<Code>");
    int end = text.indexOf("</Code>");
    return start >= 0 && end > start && end - start < 80 ? " " + text.substring(start + 6, end) : "";
  }

  private Target target() {
    Target current = target;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (target == null) {
        target = target(settings.get());
      }
      return target;
    }
  }

  private Target target(AwsSettings aws) {
    return new Target(aws, objectUri(aws.endpoint("S3"), aws.region().id(), bucket, key));
  }

  /** The object's URL: path-style under an endpoint override, else S3's regional endpoint. */
  static URI objectUri(Optional<URI> endpoint, String region, String bucket, String key) {
    String path = "/" + encodePath(key);
    if (endpoint.isPresent()) {
      String base = endpoint.get().toString();
      base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
      return URI.create(base + "/" + bucket + path);
    }
    String domain = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    // A bucket name with dots does not match S3's wildcard certificate as a host name.
    return bucket.contains(".")
        ? URI.create("https://s3." + region + domain + "/" + bucket + path)
        : URI.create("https://" + bucket + ".s3." + region + domain + path);
  }

  /** Percent-encodes a key as S3 expects in a path: everything but unreserved characters and '/'. */
  static String encodePath(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Reads the settings again (credentials, endpoint): after a SnapStart restore they are stale. */
  public synchronized void reconnect() {
    target = target(settings.get());
  }

  /** Whether settings are held (false after {@link #close()} until the next fetch or reconnect). */
  public boolean connected() {
    return target != null;
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The key. */
  public String key() {
    return key;
  }

  /** {@code s3://bucket/key}, for logs and messages. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }

  /**
   * Drops the credentials and settings held (no connection is ever held open: each GET closes its
   * own); the next fetch reads them again.
   */
  @Override
  public synchronized void close() {
    target = null;
  }
}
