package io.intentpipeline.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 client on a {@link TestStack}'s S3 server that can be told to fail chosen operations
 * ({@code "CopyObject"}, {@code "GetObject"}, ...) as a dropped connection would: the request
 * never reaches the server. Everything else goes through to the real server.
 */
public final class FailingS3 implements ExecutionInterceptor {
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final S3Client client;

  /** A client on {@code stack}'s S3 server. */
  public FailingS3(TestStack stack) {
    var env = stack.envVars();
    client = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
        .endpointOverride(java.net.URI.create(env.get("AWS_ENDPOINT_URL_S3")))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.addExecutionInterceptor(this))
        .build();
  }

  /** The client. */
  public S3Client client() {
    return client;
  }

  /** From now on, {@code operation} fails. */
  public void fail(String operation) {
    failing.add(operation);
  }

  /** Every operation goes through again. */
  public void heal() {
    failing.clear();
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if (failing.contains(operation)) {
      throw SdkClientException.create("injected failure: connection reset during " + operation);
    }
  }
}
