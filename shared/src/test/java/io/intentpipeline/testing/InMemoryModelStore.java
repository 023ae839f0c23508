package io.intentpipeline.testing;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.config.Env;
import io.intentpipeline.serving.HttpGetter;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.storage.ArtifactStore;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.ModelStoreException;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.storage.StoredModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The twin of {@link S3ModelStore}: one bucket's objects in memory, with S3's answers (quoted MD5
 * ETags, a copy that replaces latest whole, {@link ModelStoreException}s naming the object). It can
 * be told to be {@link #unavailable(boolean) unavailable}, as an unreachable S3 is, and serves its
 * objects to predict's {@link S3ModelObject} through {@link #http()}. {@code ModelStoreContract}
 * keeps the two alike.
 */
public final class InMemoryModelStore implements ModelStore, ArtifactStore {
  /** What S3ModelObject's conditional GET reaches: a path-style endpoint that is never dialled. */
  private static final String ENDPOINT = "http://in-memory-s3.invalid";

  private record Blob(byte[] bytes, String etag) {}

  private final String bucket;
  private final Map<String, Blob> objects = new ConcurrentHashMap<>();
  private volatile boolean unavailable;

  /** An empty bucket named {@code bucket}. */
  public InMemoryModelStore(String bucket) {
    this.bucket = bucket;
  }

  /** From now on every operation fails ({@code true}) as against an unreachable S3, or works again. */
  public void unavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }

  /** The keys stored, sorted. */
  public Set<String> keys() {
    return new TreeSet<>(objects.keySet());
  }

  @Override
  public Optional<StoredModel> latest() {
    reachable("read", LATEST_KEY);
    Blob latest = objects.get(LATEST_KEY);
    return latest == null ? Optional.empty() : Optional.of(new StoredModel(LATEST_KEY, latest.bytes().clone(), latest.etag()));
  }

  @Override
  public boolean exists(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    reachable("look up", key);
    return objects.containsKey(key);
  }

  @Override
  public StoredModel put(String modelVersion, byte[] bytes) {
    String key = ModelStore.versionKey(modelVersion);
    reachable("write", key);
    return new StoredModel(key, bytes, store(key, bytes).etag());
  }

  @Override
  public byte[] read(String modelVersion) {
    return get(ModelStore.versionKey(modelVersion));
  }

  @Override
  public StoredModel promote(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    String action = "copy " + key + " over";
    reachable(action, LATEST_KEY);
    Blob source = objects.get(key);
    if (source == null) {
      throw failure(action, LATEST_KEY, "NoSuchKey (HTTP 404)");
    }
    objects.put(LATEST_KEY, source);
    return new StoredModel(LATEST_KEY, new byte[0], source.etag());
  }

  @Override
  public void delete(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    reachable("delete", key);
    objects.remove(key);
  }

  @Override
  public String location(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public String put(String key, byte[] bytes, String contentType) {
    reachable("write", key);
    store(key, bytes);
    return location(key);
  }

  @Override
  public byte[] get(String key) {
    reachable("read", key);
    Blob blob = objects.get(key);
    if (blob == null) {
      throw failure("read", key, "NoSuchKey (HTTP 404)");
    }
    return blob.bytes().clone();
  }

  /**
   * S3's side of {@link S3ModelObject}'s conditional GET over this bucket: 200 with the bytes and
   * ETag, 304 when {@code If-None-Match} holds that ETag, 404 for a missing object, 403 for an
   * unsigned request; an {@link IOException} while unavailable.
   */
  public HttpGetter http() {
    return (uri, headers) -> {
      if (unavailable) {
        throw new IOException("Connection refused (the in-memory store is unavailable)");
      }
      if (header(headers, "Authorization") == null) {
        return new HttpGetter.Response(403, null, error("AccessDenied"));
      }
      String prefix = "/" + bucket + "/";
      Blob blob = uri.getPath().startsWith(prefix) ? objects.get(uri.getPath().substring(prefix.length())) : null;
      if (blob == null) {
        return new HttpGetter.Response(404, null, error("NoSuchKey"));
      }
      if (blob.etag().equals(header(headers, "If-None-Match"))) {
        return new HttpGetter.Response(304, blob.etag(), new byte[0]);
      }
      return new HttpGetter.Response(200, blob.etag(), blob.bytes().clone());
    };
  }

  /** The latest object as predict reads it ({@code PredictHandler.latestModel}), served by {@link #http()}. */
  public S3ModelObject latestObject() {
    AwsSettings aws = AwsSettings.fromEnv(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_S3", ENDPOINT)));
    return new S3ModelObject(() -> aws, bucket, LATEST_KEY, http());
  }

  private Blob store(String key, byte[] bytes) {
    Blob blob = new Blob(bytes.clone(), etag(bytes));
    objects.put(key, blob);
    return blob;
  }

  private void reachable(String action, String key) {
    if (unavailable) {
      throw failure(action, key, "SdkClientException: Unable to execute HTTP request: Connection refused"
          + " (the in-memory store is unavailable)");
    }
  }

  private ModelStoreException failure(String action, String key, String detail) {
    return new ModelStoreException("cannot " + action + " " + location(key) + ": " + detail, null);
  }

  /** S3's ETag of an object written in one part: its MD5, quoted. */
  private static String etag(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by the Java platform", e);
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  private static byte[] error(String code) {
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code></Error>")
        .getBytes(StandardCharsets.UTF_8);
  }
}
