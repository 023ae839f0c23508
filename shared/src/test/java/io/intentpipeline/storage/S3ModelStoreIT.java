package io.intentpipeline.storage;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.serving.HttpGetter;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.testing.TestStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The S3 model store keeps its contract on the embedded S3 server: a fresh bucket per test. */
class S3ModelStoreIT implements ModelStoreContract<S3ModelStore> {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("model-store");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Override
  public S3ModelStore emptyStore() {
    return new S3ModelStore(stack.s3(), freshBucket());
  }

  @Override
  public S3ModelStore unreachableStore() {
    Map<String, String> env = new HashMap<>(stack.envVars());
    env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1");
    return new S3ModelStore(S3Clients.create(AwsSettings.fromEnv(Env.of(env))), stack.bucket());
  }

  @Override
  public S3ModelObject latestObject(S3ModelStore store) {
    String location = store.location("");
    String bucket = location.substring("s3://".length(), location.length() - 1);
    return new S3ModelObject(stack::aws, bucket, ModelStore.LATEST_KEY,
        HttpGetter.urlConnection(Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  private static String freshBucket() {
    String bucket = stack.bucket() + "-" + BUCKETS.incrementAndGet();
    S3Clients.ensureBucket(stack.s3(), bucket);
    return bucket;
  }
}
