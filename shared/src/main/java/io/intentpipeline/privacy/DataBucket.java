package io.intentpipeline.privacy;

import io.intentpipeline.storage.StorageUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects of the model bucket that hold training data ({@code datasets/}, {@code exports/}),
 * as erasure reads, rewrites and deletes them. A failure of S3 is a {@link StorageUnavailableException}.
 */
public final class DataBucket {
  private final Supplier<S3Client> s3;
  private final String bucket;

  /** Objects of {@code bucket} through {@code s3} (built on first use). */
  public DataBucket(Supplier<S3Client> s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** The keys under {@code prefix}, in key order. */
  List<String> keys(String prefix) {
    try {
      List<String> keys = new ArrayList<>();
      String token = null;
      do {
        String from = token;
        ListObjectsV2Response page = s3.get().listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(from));
        for (S3Object o : page.contents()) {
          keys.add(o.key());
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
      return keys;
    } catch (SdkException e) {
      throw unavailable("list " + prefix, e);
    }
  }

  /** The bytes of {@code key}, or empty when it was deleted meanwhile. */
  Optional<byte[]> get(String key) {
    try {
      return Optional.of(s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw unavailable("read " + key, e);
    }
  }

  /** Writes {@code bytes} over {@code key}. */
  void put(String key, byte[] bytes, String contentType) {
    try {
      s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw unavailable("write " + key, e);
    }
  }

  /** Deletes {@code key} (nothing when it is gone already). */
  void delete(String key) {
    try {
      s3.get().deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw unavailable("delete " + key, e);
    }
  }

  private static StorageUnavailableException unavailable(String what, SdkException e) {
    return new StorageUnavailableException("S3 failed to " + what + "; the erasure is recorded and a retry"
        + " finishes it (it is idempotent)", e);
  }
}
