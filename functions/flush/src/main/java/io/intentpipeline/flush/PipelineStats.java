package io.intentpipeline.flush;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The seed's {@code get_stats()} for the admin console's dashboard ({@code GET /ai/training/stats},
 * issue 15): samples stored since the newest completed training run against the retrain
 * threshold (the seed's daily check "samples_since_last_train incrementing"), interactions waiting
 * in the queue, when a flush last stored one, the open automatic retrain request and the run in
 * progress.
 */
final class PipelineStats {
  /** Counting stops here: past it the figure reads "at least". */
  static final int COUNT_CAP = 1_000_000;

  /** The answer. Instants are ISO-8601 text, absent when there is none. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Stats(
      @JsonProperty("samples_since_last_train") long samplesSinceLastTrain,
      @JsonProperty("samples_since_last_train_capped") boolean capped,
      @JsonProperty("retrain_threshold") int retrainThreshold,
      @JsonProperty("last_completed_run_started_at") String lastCompletedRunStartedAt,
      @JsonProperty("last_flush_at") String lastFlushAt,
      @JsonProperty("retrain_requested_at") String retrainRequestedAt,
      @JsonProperty("queue") Queue queue,
      @JsonProperty("run_in_progress") Running runInProgress) {}

  /** The interactions queue, as SQS approximates it; {@code error} when it could not be read. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Queue(Integer waiting, @JsonProperty("in_flight") Integer inFlight, String error) {}

  /** The run recorded as running. */
  record Running(@JsonProperty("run_id") UUID runId, @JsonProperty("run_name") String runName,
                 @JsonProperty("started_at") String startedAt) {}

  private final Database database;
  private final SqsClient sqs;
  private final String queueUrl;
  private final int threshold;

  PipelineStats(Database database, SqsClient sqs, String queueUrl, int threshold) {
    this.database = database;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.threshold = threshold;
  }

  Stats read() throws SQLException {
    Stats fromDatabase = database.run(connection -> {
      long count;
      String since;
      String last;
      String requested;
      try (PreparedStatement s = connection.prepareStatement(
          "WITH last_run AS (SELECT max(started_at) AS at FROM ai_training_runs WHERE status = 'completed')"
              + " SELECT (SELECT at FROM last_run),"
              + " (SELECT count(*) FROM (SELECT 1 FROM ai_training_data"
              + "   WHERE created_at > coalesce((SELECT at FROM last_run), '-infinity'::timestamptz) LIMIT ?) AS recent),"
              + " (SELECT max(created_at) FROM ai_training_data),"
              + " (SELECT requested_at FROM ai_retrain_state WHERE singleton)")) {
        s.setInt(1, COUNT_CAP + 1);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          since = text(rs.getObject(1, OffsetDateTime.class));
          count = rs.getLong(2);
          last = text(rs.getObject(3, OffsetDateTime.class));
          requested = text(rs.getObject(4, OffsetDateTime.class));
        }
      }
      Running running = null;
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT id, run_name, started_at FROM ai_training_runs WHERE status = 'running' ORDER BY started_at DESC LIMIT 1")) {
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            running = new Running(rs.getObject(1, UUID.class), rs.getString(2), text(rs.getObject(3, OffsetDateTime.class)));
          }
        }
      }
      return new Stats(Math.min(count, COUNT_CAP), count > COUNT_CAP, threshold, since, last, requested, null, running);
    });
    return new Stats(fromDatabase.samplesSinceLastTrain(), fromDatabase.capped(), threshold,
        fromDatabase.lastCompletedRunStartedAt(), fromDatabase.lastFlushAt(), fromDatabase.retrainRequestedAt(),
        queue(), fromDatabase.runInProgress());
  }

  private Queue queue() {
    try {
      Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
      return new Queue(Integer.valueOf(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
          Integer.valueOf(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)), null);
    } catch (SdkException | NumberFormatException e) {
      return new Queue(null, null, "The interactions queue could not be read: " + e.getClass().getSimpleName());
    }
  }

  private static String text(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }

}
