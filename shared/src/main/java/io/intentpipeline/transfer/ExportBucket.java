package io.intentpipeline.transfer;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.config.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where exports go: objects under {@code exports/} in the model bucket, handed out as presigned
 * GET URLs that expire after {@code urlTtl}.
 *
 * <p>The S3 client and presigner are built on the first export, not at start-up: the snapshot
 * function mostly serves metrics, and a cold start should not pay for an S3 client it may not use.
 */
public final class ExportBucket {
  /** How long a presigned URL lives when EXPORT_URL_TTL_SECONDS is not set. */
  public static final Duration DEFAULT_URL_TTL = Duration.ofMinutes(15);
  /** The longest a SigV4 presigned URL may live (7 days). */
  public static final Duration MAX_URL_TTL = Duration.ofDays(7);

  private final Supplier<S3Client> s3;
  private final Supplier<S3Presigner> presigner;
  private final String bucket;
  private final Duration urlTtl;
  private final boolean checksums;
  private final int partSize;

  /**
   * Exports to {@code bucket} through {@code s3}, signed by {@code presigner}; {@code checksums}
   * false for emulators; parts of {@code partSize} bytes (at least 5 MiB).
   */
  public ExportBucket(S3Client s3, S3Presigner presigner, String bucket, Duration urlTtl, boolean checksums,
                      int partSize) {
    this(() -> s3, () -> presigner, bucket, urlTtl, checksums, partSize);
  }

  private ExportBucket(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, Duration urlTtl,
                       boolean checksums, int partSize) {
    if (urlTtl.compareTo(Duration.ofSeconds(1)) < 0 || urlTtl.compareTo(MAX_URL_TTL) > 0) {
      throw new IllegalArgumentException("urlTtl must be between 1 second and 7 days, got " + urlTtl);
    }
    if (partSize < S3UploadStream.MIN_PART_SIZE) {
      throw new IllegalArgumentException("partSize must be at least " + S3UploadStream.MIN_PART_SIZE);
    }
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.urlTtl = urlTtl;
    this.checksums = checksums;
    this.partSize = partSize;
  }

  /**
   * MODEL_BUCKET (required), EXPORT_URL_TTL_SECONDS (60-604800, default 900) and the AWS settings;
   * fails at once naming a missing or malformed variable. The clients are built on first use.
   */
  public static ExportBucket fromEnv(Env env) {
    String bucket = env.required("MODEL_BUCKET");
    Duration ttl = env.seconds("EXPORT_URL_TTL_SECONDS", DEFAULT_URL_TTL, 60, MAX_URL_TTL.toSeconds());
    AwsSettings aws = AwsSettings.fromEnv(env);
    return new ExportBucket(S3Clients.onFirstUse(() -> S3Clients.create(aws)),
        S3Clients.onFirstUse(() -> S3Clients.presigner(aws)), bucket, ttl, !S3Clients.emulated(aws), S3UploadStream.MIN_PART_SIZE);
  }

  /** The S3 client (built on first use), for the other reads of the bucket the same function makes. */
  public S3Client client() {
    return s3.get();
  }

  /** The bucket's name. */
  public String bucket() {
    return bucket;
  }

  /** How long the URLs live. */
  public Duration urlTtl() {
    return urlTtl;
  }

  /** A stream that stores object {@code key} of {@code format}, downloaded under the key's file name. */
  S3UploadStream open(String key, DatasetFormat format) {
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    return new S3UploadStream(s3.get(), new S3UploadStream.Target(bucket, key, format.contentType(),
        "attachment; filename=\"" + fileName + "\"", checksums), partSize);
  }

  /** A presigned GET URL of {@code key} and the instant it stops working. */
  Presigned presign(String key) {
    var presigned = presigner.get().presignGetObject(r -> r
        .signatureDuration(urlTtl)
        .getObjectRequest(g -> g.bucket(bucket).key(key)));
    return new Presigned(presigned.url().toString(), presigned.expiration());
  }

  /** A URL and its expiry. */
  record Presigned(String url, Instant expiresAt) {}
}
