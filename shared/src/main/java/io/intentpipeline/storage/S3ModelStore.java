package io.intentpipeline.storage;

import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The model store and the run artifacts in one S3 bucket ({@code MODEL_BUCKET}). */
public final class S3ModelStore implements ModelStore, ArtifactStore {
  private static final String MODEL_TYPE = "application/octet-stream";

  private final S3Client s3;
  private final String bucket;

  /** Stores in {@code bucket} through {@code s3}. */
  public S3ModelStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public Optional<StoredModel> latest() {
    try {
      ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(LATEST_KEY));
      return Optional.of(new StoredModel(LATEST_KEY, object.asByteArray(), object.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 403 && !listed(LATEST_KEY)) {
        return Optional.empty();
      }
      throw failure("read", LATEST_KEY, e);
    } catch (SdkException e) {
      throw failure("read", LATEST_KEY, e);
    }
  }

  /**
   * Whether {@code key} is listed, asked when S3 answered 403 for it: S3 answers a missing key with
   * 404 only to a caller whose ListBucket grant covers the request, and the role's grant is narrowed
   * to a prefix (template.yaml); a listing of that very prefix is always covered, so this tells a
   * missing key (not listed) from a refused one (listed, or the listing refused too: an error).
   */
  private boolean listed(String key) {
    try {
      return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
          .anyMatch(o -> o.key().equals(key));
    } catch (SdkException e) {
      return true;
    }
  }

  @Override
  public boolean exists(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || (e.statusCode() == 403 && !listed(key))) {
        return false;
      }
      throw failure("look up", key, e);
    } catch (SdkException e) {
      throw failure("look up", key, e);
    }
  }

  @Override
  public StoredModel put(String modelVersion, byte[] bytes) {
    String key = ModelStore.versionKey(modelVersion);
    try {
      // The version travels as object metadata: a copy over latest (a deploy, or an admin's
      // rollback) keeps it, so a HEAD of latest says which model is in service (ServedModel).
      String etag = s3.putObject(b -> b.bucket(bucket).key(key).contentType(MODEL_TYPE).contentLength((long) bytes.length)
              .metadata(java.util.Map.of(ServedModel.VERSION_METADATA, modelVersion)),
          RequestBody.fromBytes(bytes)).eTag();
      return new StoredModel(key, bytes, etag);
    } catch (SdkException e) {
      throw failure("write", key, e);
    }
  }

  @Override
  public byte[] read(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public StoredModel promote(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    try {
      String etag = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key)
          .destinationBucket(bucket).destinationKey(LATEST_KEY)).copyObjectResult().eTag();
      return new StoredModel(LATEST_KEY, new byte[0], etag);
    } catch (SdkException e) {
      throw failure("copy " + key + " over", LATEST_KEY, e);
    }
  }

  @Override
  public void delete(String modelVersion) {
    String key = ModelStore.versionKey(modelVersion);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public String location(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public String put(String key, byte[] bytes, String contentType) {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
      return location(key);
    } catch (SdkException e) {
      throw failure("write", key, e);
    }
  }

  @Override
  public byte[] get(String key) {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  private ModelStoreException failure(String action, String key, SdkException e) {
    String detail = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null
        ? s3e.awsErrorDetails().errorCode() + " (HTTP " + s3e.statusCode() + ")"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new ModelStoreException("cannot " + action + " " + location(key) + ": " + detail, e);
  }
}
