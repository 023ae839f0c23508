package io.intentpipeline.aws;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where and as whom the AWS clients connect.
 *
 * <p>In Lambda the region and credentials come from the variables the runtime sets, read
 * directly: the default provider chain would probe files and metadata services on every cold
 * start; with SnapStart, Lambda sets no key variables but a container credentials endpoint
 * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}), asked directly. {@code AWS_ENDPOINT_URL}, or
 * per service {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_SQS} and
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (the SDK's own names), point the clients at an emulator
 * (S3Proxy, ElasticMQ, LocalStack); then S3 uses path-style addressing.
 */
public record AwsSettings(
    Region region, AwsCredentialsProvider credentials, Optional<URI> defaultEndpoint, Map<String, URI> serviceEndpoints) {

  public AwsSettings {
    serviceEndpoints = Map.copyOf(serviceEndpoints);
  }

  /** Reads AWS_REGION, the credentials variables and the endpoint overrides. */
  public static AwsSettings fromEnv(Env env) {
    Optional<URI> endpoint = env.uri("AWS_ENDPOINT_URL");
    Map<String, URI> perService = new java.util.HashMap<>();
    for (String service : new String[] {"S3", "SQS", "SECRETS_MANAGER"}) {
      env.uri("AWS_ENDPOINT_URL_" + service).ifPresent(uri -> perService.put(service, uri));
    }
    boolean emulated = endpoint.isPresent() || !perService.isEmpty();
    Optional<String> region = env.optional("AWS_REGION").or(() -> env.optional("AWS_DEFAULT_REGION"));
    if (region.isEmpty() && !emulated) {
      throw new ConfigException("Environment variable AWS_REGION is required but not set");
    }
    AwsCredentialsProvider credentials;
    Optional<String> accessKey = env.optional("AWS_ACCESS_KEY_ID");
    Optional<String> secretKey = env.optional("AWS_SECRET_ACCESS_KEY");
    Optional<String> sessionToken = env.optional("AWS_SESSION_TOKEN");
    if (accessKey.isPresent() && secretKey.isPresent()) {
      credentials = StaticCredentialsProvider.create(sessionToken.isPresent()
          ? AwsSessionCredentials.create(accessKey.get(), secretKey.get(), sessionToken.get())
          : AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
    } else if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
      // With SnapStart, Lambda gives credentials through this endpoint instead of the variables
      // above (they would be frozen into the snapshot): ask it directly, without the chain's probing.
      credentials = ContainerCredentialsProvider.builder().build();
    } else if (emulated) {
      credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret"));
    } else {
      credentials = DefaultCredentialsProvider.builder().build();
    }
    return new AwsSettings(Region.of(region.orElse("us-east-1")), credentials, endpoint, perService);
  }

  /** The endpoint override for {@code service} ("S3", "SQS"), if any. */
  public Optional<URI> endpoint(String service) {
    URI specific = serviceEndpoints.get(service.toUpperCase(Locale.ROOT));
    return specific != null ? Optional.of(specific) : defaultEndpoint;
  }
}
