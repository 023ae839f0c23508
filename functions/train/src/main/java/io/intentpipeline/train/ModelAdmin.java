package io.intentpipeline.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.pipeline.TrainingLock;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.ModelStoreException;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.storage.StoredModel;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What the admin console does with models (issue 15): lists the versions in the bucket with the
 * run that made each and which one {@code latest} serves; rolls back (puts an older version in
 * service with the same server-side copy over latest an admin does by hand, checked first and
 * recorded in {@code ai_model_rollbacks}: who, when, from, to); and hands out a presigned URL of a
 * run's HTML report.
 */
final class ModelAdmin {
  /** How long a report URL lives. */
  static final Duration REPORT_URL_TTL = Duration.ofMinutes(15);
  private static final String PREFIX = "models/";

  /** One stored version. */
  record Version(
      @JsonProperty("model_version") String modelVersion,
      long size,
      @JsonProperty("last_modified") String lastModified,
      boolean serving,
      @JsonProperty("run_id") @JsonInclude(JsonInclude.Include.NON_NULL) UUID runId,
      @JsonProperty("run_name") @JsonInclude(JsonInclude.Include.NON_NULL) String runName,
      @JsonProperty("intent_f1_score") @JsonInclude(JsonInclude.Include.NON_NULL) Float f1,
      @JsonProperty("run_completed_at") @JsonInclude(JsonInclude.Include.NON_NULL) String runCompletedAt) {}

  /** One recorded roll back. */
  record Rollback(
      UUID id,
      @JsonProperty("from_version") String fromVersion,
      @JsonProperty("to_version") String toVersion,
      @JsonProperty("rolled_back_by") String rolledBackBy,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
      @JsonProperty("rolled_back_at") String rolledBackAt) {}

  /** The answer of {@code GET /ai/training/models}: newest version first. */
  record Catalog(
      @JsonProperty("latest_version") String latestVersion,
      List<Version> versions,
      @JsonProperty("recent_rollbacks") List<Rollback> recentRollbacks) {}

  /** The answer of {@code GET /ai/training/runs/report}. */
  record ReportUrl(@JsonProperty("run_id") UUID runId, String url, @JsonProperty("expires_at") String expiresAt) {}

  private final Supplier<S3Client> s3;
  private final Supplier<S3Presigner> presigner;
  private final String bucket;
  private final Database database;
  private final Clock clock;

  ModelAdmin(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, Database database,
             Clock clock) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.database = database;
    this.clock = clock;
  }

  private S3ModelStore store() {
    return new S3ModelStore(s3.get(), bucket);
  }

  /** The versions in the bucket, newest first, with their runs and the one latest serves. */
  Catalog catalog() throws SQLException {
    List<S3Object> objects = new ArrayList<>();
    try {
      s3.get().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX)).contents().forEach(objects::add);
    } catch (SdkException e) {
      throw ApiException.unavailable("storage_unavailable", "Cannot list the models in the bucket: " + e.getMessage());
    }
    String latest = servingVersion().orElse(null);
    List<String> names = new ArrayList<>();
    for (S3Object o : objects) {
      versionOf(o.key()).ifPresent(names::add);
    }
    Map<String, Object[]> runs = runsOf(names);
    List<Version> versions = new ArrayList<>();
    for (S3Object o : objects) {
      Optional<String> name = versionOf(o.key());
      if (name.isEmpty()) {
        continue;
      }
      Object[] run = runs.get(name.get());
      versions.add(new Version(name.get(), o.size(), o.lastModified().toString(), name.get().equals(latest),
          run == null ? null : (UUID) run[0], run == null ? null : (String) run[1],
          run == null ? null : (Float) run[2], run == null ? null : (String) run[3]));
    }
    versions.sort(Comparator.comparing(Version::modelVersion).reversed());
    return new Catalog(latest, versions, rollbacks(20));
  }

  /**
   * Puts {@code toVersion} in service for {@code actor}. Refused: an unknown version (404), the
   * one already serving or a run in progress (409: it may deploy over the roll back), a file that
   * is not a readable model (400). The record is written in the transaction around the copy, so
   * a roll back is recorded exactly when it happened.
   */
  Rollback rollback(String toVersion, String actor, Optional<String> reason, String requestId) throws SQLException {
    try {
      ModelStore.versionKey(toVersion);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_request", "model_version is not a model version: " + toVersion,
          "model_version");
    }
    if (toVersion.equals("intent_classifier_latest")) {
      throw new ApiException(400, "invalid_request", "Name a timestamped version, not latest", "model_version");
    }
    S3ModelStore store = store();
    try {
      if (!store.exists(toVersion)) {
        throw new ApiException(404, "not_found", "No model " + toVersion + " in the bucket", "model_version");
      }
      try {
        String inside = ModelCodec.read(store.read(toVersion)).metadata().modelVersion();
        if (!inside.isEmpty() && !inside.equals(toVersion)) {
          throw new ApiException(400, "invalid_request",
              "The file of " + toVersion + " holds model " + inside + "; refusing to serve it", "model_version");
        }
      } catch (ModelFormatException e) {
        throw new ApiException(400, "invalid_request",
            "The file of " + toVersion + " is not a readable model: " + e.getMessage(), "model_version");
      }
      if (database.run(TrainingLock::isHeld)) {
        throw ApiException.conflict("run_in_progress",
            "A training run is in progress and may deploy over a roll back; roll back when it has finished");
      }
      Optional<String> from = servingVersion();
      if (from.isPresent() && from.get().equals(toVersion)) {
        throw ApiException.conflict("already_serving", toVersion + " is the model latest already serves");
      }
      Instant at = clock.instant();
      Rollback done = database.transaction(connection -> {
        UUID id;
        try (PreparedStatement s = connection.prepareStatement(
            "INSERT INTO ai_model_rollbacks (from_version, to_version, rolled_back_by, reason, request_id, rolled_back_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
          s.setString(1, from.orElse(null));
          s.setString(2, toVersion);
          s.setString(3, actor);
          s.setString(4, reason.orElse(null));
          s.setString(5, requestId);
          s.setTimestamp(6, Timestamp.from(at));
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            id = rs.getObject(1, UUID.class);
          }
        }
        store.promote(toVersion);
        return new Rollback(id, from.orElse(null), toVersion, actor, reason.orElse(null), at.toString());
      });
      Log.info("model_rolled_back", "from_version", done.fromVersion(), "to_version", toVersion,
          "rolled_back_by", actor, "request_id", requestId);
      return done;
    } catch (ModelStoreException e) {
      throw ApiException.unavailable("storage_unavailable", e.getMessage());
    }
  }

  /** A presigned URL of run {@code runId}'s HTML report. */
  ReportUrl reportUrl(UUID runId) throws SQLException {
    String location = database.run(connection -> {
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT report_file_path FROM ai_training_runs WHERE id = ?")) {
        s.setObject(1, runId);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new ApiException(404, "not_found", "No training run " + runId, "run_id");
          }
          return rs.getString(1);
        }
      }
    });
    String prefix = "s3://" + bucket + "/";
    if (location == null || !location.startsWith(prefix)) {
      throw new ApiException(404, "not_found", "Run " + runId + " has no report", "run_id");
    }
    String key = location.substring(prefix.length());
    var signed = presigner.get().presignGetObject(r -> r.signatureDuration(REPORT_URL_TTL)
        .getObjectRequest(g -> g.bucket(bucket).key(key)));
    return new ReportUrl(runId, signed.url().toString(), signed.expiration().toString());
  }

  /** The version latest serves, read from the model file itself; empty when none is deployed. */
  private Optional<String> servingVersion() {
    try {
      Optional<StoredModel> latest = store().latest();
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      String version = ModelCodec.read(latest.get().bytes()).metadata().modelVersion();
      return version.isEmpty() ? Optional.empty() : Optional.of(version);
    } catch (ModelFormatException e) {
      Log.warn("latest_unreadable", "message", e.getMessage());
      return Optional.empty();
    } catch (ModelStoreException e) {
      throw ApiException.unavailable("storage_unavailable", e.getMessage());
    }
  }

  private static Optional<String> versionOf(String key) {
    String suffix = "." + ModelStore.EXTENSION;
    if (!key.startsWith(PREFIX) || !key.endsWith(suffix) || key.equals(ModelStore.LATEST_KEY)) {
      return Optional.empty();
    }
    String name = key.substring(PREFIX.length(), key.length() - suffix.length());
    return name.matches("[A-Za-z0-9_.-]{1,100}") ? Optional.of(name) : Optional.empty();
  }

  private Map<String, Object[]> runsOf(List<String> versions) throws SQLException {
    if (versions.isEmpty()) {
      return Map.of();
    }
    return database.run(connection -> {
      Map<String, Object[]> runs = new HashMap<>();
      Array array = connection.createArrayOf("text", versions.toArray());
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT model_version, id, run_name, intent_f1_score, completed_at FROM ai_training_runs"
              + " WHERE model_version = ANY(?) AND deployed ORDER BY started_at")) {
        s.setArray(1, array);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            Object f1 = rs.getObject(4);
            OffsetDateTime completed = rs.getObject(5, OffsetDateTime.class);
            runs.put(rs.getString(1), new Object[] {rs.getObject(2, UUID.class), rs.getString(3),
                f1 == null ? null : ((Number) f1).floatValue(),
                completed == null ? null : completed.toInstant().toString()});
          }
        }
      }
      return runs;
    });
  }

  private List<Rollback> rollbacks(int limit) throws SQLException {
    return database.run(connection -> {
      List<Rollback> list = new ArrayList<>();
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT id, from_version, to_version, rolled_back_by, reason, rolled_back_at FROM ai_model_rollbacks"
              + " ORDER BY rolled_back_at DESC LIMIT ?")) {
        s.setInt(1, limit);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            list.add(new Rollback(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant().toString()));
          }
        }
      }
      return list;
    });
  }
}
