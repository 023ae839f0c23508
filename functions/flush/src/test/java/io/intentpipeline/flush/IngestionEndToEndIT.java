package io.intentpipeline.flush;

import io.intentpipeline.testing.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The end-to-end ingestion scenario on the in-JVM servers: ElasticMQ and the test PostgreSQL. */
class IngestionEndToEndIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("e2e", IngestionScenario.RECEIVES_BEFORE_DLQ);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void everyGoodInteractionIsStoredOnceAndEveryPoisonMessageEndsInTheDeadLetterQueue() throws Exception {
    var target = new IngestionScenario.Target(stack.envVars(), stack.sqs(), stack.interactionsQueueUrl(),
        stack.interactionsDlqUrl(), stack.retrainQueueUrl(), stack.databaseSettings());

    new IngestionScenario(target).run();
  }
}
