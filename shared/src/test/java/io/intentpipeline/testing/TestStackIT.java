package io.intentpipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The test servers are real: SQL, S3 and SQS calls go over the wire through the AWS SDK. */
class TestStackIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("stack");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void databaseIsMigratedToTheNewestSchema() throws Exception {
    try (var c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables"
                 + " WHERE table_schema = 'public' AND table_name LIKE 'ai\\_%'")) {
      rs.next();
      assertThat(rs.getString(1).split(","))
          .contains("ai_intent_corrections", "ai_metrics_snapshots", "ai_training_data", "ai_training_runs");
    }
  }

  @Test
  void s3StoresAndReturnsObjects() {
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key("models/x.bin"), RequestBody.fromString("hello"));

    var bytes = stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key("models/x.bin"));

    assertThat(bytes.asString(StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void sqsMovesAMessageToTheDeadLetterQueueAfterItsReceives() {
    try (var strict = TestStack.create("dlq", 1)) {
      strict.sqs().sendMessage(b -> b.queueUrl(strict.interactionsQueueUrl()).messageBody("poison"));

      var first = strict.sqs().receiveMessage(b -> b.queueUrl(strict.interactionsQueueUrl())
          .visibilityTimeout(0).waitTimeSeconds(1)).messages();
      var second = strict.sqs().receiveMessage(b -> b.queueUrl(strict.interactionsQueueUrl())
          .waitTimeSeconds(1)).messages();
      var dead = strict.sqs().receiveMessage(b -> b.queueUrl(strict.interactionsDlqUrl())
          .waitTimeSeconds(1)).messages();

      assertThat(first).hasSize(1);
      assertThat(second).isEmpty();
      assertThat(dead).extracting(m -> m.body()).isEqualTo(List.of("poison"));
    }
  }
}
