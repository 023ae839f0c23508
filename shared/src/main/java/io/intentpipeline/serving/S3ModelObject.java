package io.intentpipeline.serving;

import io.intentpipeline.ml.ModelCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One model object in S3, read with a conditional GET: given the ETag of the bytes already held,
 * S3 answers 304 and nothing is downloaded unless the object changed.
 *
 * <p>The client can be replaced ({@link #reconnect()}): after a SnapStart restore the connections
 * and credentials of the snapshot are stale.
 */
public final class S3ModelObject implements AutoCloseable {
  /** Where the model in service lives in the bucket. */
  public static final String LATEST_KEY = "models/intent_classifier_latest." + ModelCodec.FILE_EXTENSION;

  private final Supplier<S3Client> clients;
  private final String bucket;
  private final String key;
  private volatile S3Client client;

  /** The object {@code bucket}/{@code key}, read through clients made by {@code clients} (one now). */
  public S3ModelObject(Supplier<S3Client> clients, String bucket, String key) {
    this.clients = clients;
    this.bucket = bucket;
    this.key = key;
    this.client = clients.get();
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
   * GETs the object unless its ETag is {@code knownEtag} (null: unconditionally). S3 and network
   * failures are thrown as the SDK's exceptions.
   */
  public Fetch fetch(String knownEtag) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
    if (knownEtag != null) {
      request.ifNoneMatch(knownEtag);
    }
    try (ResponseInputStream<GetObjectResponse> in = client().getObject(request.build())) {
      return new Changed(readAll(in, in.response().contentLength()), in.response().eTag());
    } catch (NoSuchKeyException e) {
      return new Missing();
    } catch (S3Exception e) {
      if (e.statusCode() == 304) {
        return new NotModified();
      }
      if (e.statusCode() == 404) {
        return new Missing();
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading s3://" + bucket + "/" + key + " failed", e);
    }
  }

  private static byte[] readAll(InputStream in, Long contentLength) throws IOException {
    if (contentLength == null || contentLength < 0 || contentLength > Integer.MAX_VALUE - 16) {
      return in.readAllBytes();
    }
    // One exact allocation: the file is megabytes and the function's heap is small.
    byte[] bytes = new byte[contentLength.intValue()];
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read != bytes.length || in.read() >= 0) {
      throw new IOException("the object's length differs from its Content-Length (" + contentLength + ")");
    }
    return bytes;
  }

  /** Closes the current client (and its connections) and builds a new one. */
  public synchronized void reconnect() {
    close();
    client = clients.get();
  }

  private S3Client client() {
    S3Client current = client;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (client == null) {
        client = clients.get();
      }
      return client;
    }
  }

  /** Whether a client is open (false after {@link #close()} until the next fetch or reconnect). */
  public boolean connected() {
    return client != null;
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

  /** Closes the current client and its connections; the next fetch makes a new one. */
  @Override
  public synchronized void close() {
    S3Client current = client;
    client = null;
    if (current != null) {
      current.close();
    }
  }
}
