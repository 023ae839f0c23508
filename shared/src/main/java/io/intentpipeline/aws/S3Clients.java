package io.intentpipeline.aws;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the S3 client: url-connection HTTP client, explicit region and credentials. */
public final class S3Clients {
  private S3Clients() {}

  /** A client for {@code settings}; against an emulator, path-style and checksums only when required. */
  public static S3Client create(AwsSettings settings) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(settings.region())
        .credentialsProvider(settings.credentials());
    settings.endpoint("S3").ifPresent(endpoint -> builder
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        // S3Proxy rejects the flexible checksum trailers that SDK 2.30+ sends by default.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    return builder.build();
  }

  /**
   * A presigner for {@code settings}: signs URLs locally (no request is sent), with the same
   * region, credentials and, against an emulator, endpoint and path-style addressing as the client.
   */
  public static S3Presigner presigner(AwsSettings settings) {
    S3Presigner.Builder builder = S3Presigner.builder()
        .region(settings.region())
        .credentialsProvider(settings.credentials());
    settings.endpoint("S3").ifPresent(endpoint -> builder
        .endpointOverride(endpoint)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
    return builder.build();
  }

  /**
   * Whether the client talks to an emulator (an endpoint override is set), which accepts no
   * flexible checksums: uploads then send none.
   */
  public static boolean emulated(AwsSettings settings) {
    return settings.endpoint("S3").isPresent();
  }

  /** Creates bucket {@code name} unless it exists. For the local stack and tests. */
  public static void ensureBucket(S3Client s3, String name) {
    try {
      s3.headBucket(b -> b.bucket(name));
    } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
      s3.createBucket(b -> b.bucket(name));
    }
  }

  /**
   * {@code factory}'s client, made on the first {@code get()} and kept (a function that may not
   * need S3 on an invocation does not pay for a client at start-up).
   */
  public static <T> java.util.function.Supplier<T> onFirstUse(java.util.function.Supplier<T> factory) {
    return new java.util.function.Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = factory.get();
        }
        return value;
      }
    };
  }
}
