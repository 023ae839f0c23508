package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.predict.PredictHandler;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.train.TrainHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deploy racing an admin's rollback: the train function deploys again and again while an admin
 * copies older timestamped models over latest (S3 CopyObject, what {@code aws s3 cp} does), and
 * readers load latest all the while. Every read of latest is one whole, valid model: it decodes
 * with a valid checksum and is byte for byte one of the timestamped models.
 */
class DeployRollbackRaceIT {
  static FaultStack faults;

  @BeforeAll
  static void start() {
    faults = new FaultStack("deployrace");
  }

  @AfterAll
  static void stop() {
    faults.close();
  }

  @Test
  void latestIsAlwaysOneWholeValidModel() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.println("[DeployRollbackRaceIT] seed " + seed + " (replay with -Dfaults.seed=" + seed + ")");
    TestStack stack = faults.stack;
    TrainContainers.clear(stack);
    TrainContainers.samples(stack, 30, 41);
    TrainHandler train = TrainContainers.plain(faults.env());
    for (int i = 0; i < 2; i++) {
      assertThat(TrainContainers.runNow(train).path("deployed").asBoolean()).isTrue();
    }
    PredictHandler predict = new PredictHandler(faults.env(Map.of("MODEL_REFRESH_SECONDS", "1")));

    AtomicBoolean racing = new AtomicBoolean(true);
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger deploys = new AtomicInteger();
    AtomicInteger rollbacks = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger predictions = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    threads.add(new Thread(() -> {
      while (racing.get()) {
        JsonNode outcome = TrainContainers.runNow(train);
        if (outcome.path("deployed").asBoolean()) {
          deploys.incrementAndGet();
        } else {
          problems.add("a deploy did not happen: " + outcome);
        }
      }
    }, "deployer"));
    long adminSeed = seed;
    threads.add(new Thread(() -> {
      SplittableRandom random = new SplittableRandom(adminSeed);
      while (racing.get()) {
        List<String> keys = TrainContainers.versionKeys(stack);
        String key = keys.get(random.nextInt(keys.size()));
        stack.s3().copyObject(b -> b.sourceBucket(stack.bucket()).sourceKey(key)
            .destinationBucket(stack.bucket()).destinationKey(ModelStore.LATEST_KEY));
        rollbacks.incrementAndGet();
        sleep(random.nextInt(30));
      }
    }, "admin"));
    for (int r = 0; r < 2; r++) {
      threads.add(new Thread(() -> {
        while (racing.get()) {
          byte[] latest = TrainContainers.latest(stack);
          try {
            IntentModel model = ModelCodec.read(latest);
            String key = ModelStore.versionKey(model.metadata().modelVersion());
            byte[] original = stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(key)).asByteArray();
            if (!Arrays.equals(original, latest)) {
              problems.add("latest is not byte for byte " + key);
            }
          } catch (ModelFormatException | RuntimeException e) {
            problems.add("latest did not load: " + e);
          }
          reads.incrementAndGet();
        }
      }, "reader-" + r));
    }
    threads.add(new Thread(() -> {
      while (racing.get()) {
        var answer = Invocations.get(predict, "/ai/training/predict", Map.of("text", "ka lo mi"));
        if (answer.status() != 200) {
          problems.add("predict answered " + answer.status() + " " + answer.body());
        }
        predictions.incrementAndGet();
        sleep(20);
      }
    }, "predict"));

    for (int i = 0; i < threads.size(); i++) {
      Thread t = threads.get(i);
      t.setUncaughtExceptionHandler((thread, e) -> problems.add(thread.getName() + " died: " + e));
      t.start();
    }
    Thread.sleep(8_000);
    racing.set(false);
    for (Thread t : threads) {
      t.join(60_000);
    }

    System.out.printf("[DeployRollbackRaceIT] %d deploys, %d rollbacks, %d reads of latest, %d predictions%n",
        deploys.get(), rollbacks.get(), reads.get(), predictions.get());
    assertThat(problems).isEmpty();
    assertThat(deploys.get()).isGreaterThanOrEqualTo(2);
    assertThat(rollbacks.get()).isGreaterThanOrEqualTo(20);
    assertThat(reads.get()).isGreaterThanOrEqualTo(50);
    byte[] last = TrainContainers.latest(stack);
    String key = ModelStore.versionKey(TrainContainers.version(last));
    assertThat(stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(key)).asByteArray()).isEqualTo(last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
