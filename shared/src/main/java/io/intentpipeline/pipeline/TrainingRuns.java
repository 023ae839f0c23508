package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.Page;
import io.intentpipeline.http.PageCursor;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.SqlQuery;
import io.intentpipeline.validation.InvalidRequestException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/** The statements on {@code ai_training_runs}; every value is a bound parameter. */
public final class TrainingRuns {
  /** A run, by id, name and start. */
  public record RunRef(UUID id, String name, Instant startedAt) {}

  /** Which runs {@code GET /ai/training/runs} lists: one status, one run, or all. */
  public record Filter(Optional<String> status, Optional<UUID> runId) {
    /** The statuses a run may have. */
    public static final List<String> STATUSES = RunStatus.dbNames();
    /** The query parameters of {@code GET /ai/training/runs}, with the page's. */
    public static final Set<String> PARAMETERS = Set.of("limit", "cursor", "status", "run_id");

    /** Reads {@code status} and {@code run_id} from the query; a bad value names the parameter. */
    public static Filter from(QueryParams query) {
      return new Filter(query.choice("status", Set.copyOf(STATUSES)), query.string("run_id").map(Filter::runId));
    }

    /** A run id as written in canonical form (lower or upper case); anything else names {@code run_id}. */
    static UUID runId(String raw) {
      try {
        UUID id = UUID.fromString(raw);
        if (id.toString().equalsIgnoreCase(raw)) {
          return id;
        }
      } catch (IllegalArgumentException e) {
        // Not a UUID at all: refused below, as a non-canonical spelling is.
      }
      throw new InvalidRequestException("run_id", "run_id must be a UUID such as 3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b");
    }
  }

  /** The columns listed, in this order; {@code per_intent_metrics} only for one run asked by id. */
  private static final String COLUMNS = "id, run_name, run_type, triggered_by, status, parameters, training_samples,"
      + " validation_samples, test_samples, total_intents, intent_accuracy, intent_precision, intent_recall,"
      + " intent_f1_score, baseline_intent_accuracy, baseline_intent_f1_score, judged_on, verified_test_samples,"
      + " verified_f1_score, all_test_f1_score, improvement, deployed, deploy_reason, model_version, model_config, model_file_path, dataset_file_path, report_file_path, error_message,"
      + " started_at, completed_at, duration_seconds";

  private final Database database;

  /** Works on {@code database}. */
  public TrainingRuns(Database database) {
    this.database = database;
  }

  /**
   * Marks every 'running' row failed. Called with the training lock held: a running row then
   * belongs to a run that died (crash, timeout, lost session) before it could record its end.
   * Returns their ids.
   */
  List<UUID> failStale(UUID foundBy) throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE ai_training_runs SET status = 'failed',"
          + " completed_at = now(), duration_seconds = GREATEST(0, extract(epoch FROM now() - started_at)),"
          + " error_message = 'Interrupted: the run stopped before it recorded its end (its function crashed, timed out"
          + " or lost its database session); found when run ' || ? || ' started. Whether its model was deployed is"
          + " unknown: see models/ in the bucket.'"
          + " WHERE status = 'running' RETURNING id")) {
        s.setString(1, foundBy.toString());
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getObject(1, UUID.class));
          }
        }
        return ids;
      }
    });
  }

  /** Records the start of a run: status 'running'. Throws SQLSTATE 23505 when another run is running. */
  void insertRunning(RunRequest request, String parametersJson, Instant startedAt) throws SQLException {
    database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO ai_training_runs (id, run_name, run_type,"
          + " triggered_by, status, parameters, started_at) VALUES (?, ?, ?, ?, 'running', ?::jsonb, ?)")) {
        s.setObject(1, request.runId());
        s.setString(2, request.runName());
        s.setString(3, request.runType().dbName());
        s.setString(4, request.trigger().dbName());
        s.setString(5, parametersJson);
        s.setObject(6, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
        s.executeUpdate();
        return null;
      }
    });
  }

  /**
   * Records a run that was asked for but will not run, with why (in {@code deploy_reason});
   * nothing when a row with its id exists already.
   */
  void recordSkipped(RunRequest request, String parametersJson, String reason) throws SQLException {
    database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO ai_training_runs (id, run_name, run_type,"
          + " triggered_by, status, parameters, deployed, deploy_reason, started_at, completed_at, duration_seconds)"
          + " VALUES (?, ?, ?, ?, 'skipped', ?::jsonb, FALSE, ?, now(), now(), 0) ON CONFLICT (id) DO NOTHING")) {
        s.setObject(1, request.runId());
        s.setString(2, request.runName());
        s.setString(3, request.runType().dbName());
        s.setString(4, request.trigger().dbName());
        s.setString(5, parametersJson);
        s.setString(6, reason);
        s.executeUpdate();
        return null;
      }
    });
  }

  /** Whether a run with this id was recorded. */
  boolean exists(UUID runId) throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM ai_training_runs WHERE id = ?")) {
        s.setObject(1, runId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** The run in progress, if one has recorded its start. */
  public Optional<RunRef> running() throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, run_name, started_at FROM ai_training_runs WHERE status = 'running' ORDER BY started_at DESC LIMIT 1")) {
        return ref(s);
      }
    });
  }

  /**
   * The first completed run that started at or after {@code at}, of {@code runType} with
   * parameters containing {@code parametersJson} when given (any run otherwise).
   */
  Optional<RunRef> completedSince(Instant at, Optional<RunType> runType, Optional<String> parametersJson)
      throws SQLException {
    var q = SqlQuery.builder().append("SELECT id, run_name, started_at FROM ai_training_runs"
        + " WHERE status = 'completed' AND started_at >= ?", at);
    runType.ifPresent(t -> q.append(" AND run_type = ?", t.dbName()));
    parametersJson.ifPresent(p -> q.append(" AND parameters @> ?::jsonb", p));
    SqlQuery query = q.append(" ORDER BY started_at LIMIT 1").build();
    return database.run(c -> {
      try (PreparedStatement s = query.prepare(c)) {
        return ref(s);
      }
    });
  }

  /** When the newest completed run started, if any did. */
  Optional<Instant> newestCompletedStart() throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT max(started_at) FROM ai_training_runs WHERE status = 'completed'");
           ResultSet rs = s.executeQuery()) {
        rs.next();
        OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
        return Optional.ofNullable(at).map(OffsetDateTime::toInstant);
      }
    });
  }

  /**
   * Writes the end of {@code run}: every column it and its {@code artifacts} give (NULL for a stage
   * not reached), its parameters as recorded at the end, its duration, and {@code completed_at = now()}.
   */
  static void finish(Connection c, FinishedRun run, FinishedRun.Artifacts artifacts, double durationSeconds)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE ai_training_runs SET status = ?, training_samples = ?,"
        + " validation_samples = ?, test_samples = ?, total_intents = ?, intent_accuracy = ?, intent_precision = ?,"
        + " intent_recall = ?, intent_f1_score = ?, baseline_intent_accuracy = ?, baseline_intent_f1_score = ?,"
        + " judged_on = ?, verified_test_samples = ?, verified_f1_score = ?, all_test_f1_score = ?, improvement = ?::jsonb, per_intent_metrics = ?::jsonb, deployed = ?, deploy_reason = ?, model_version = ?,"
        + " model_config = ?::jsonb, model_file_path = ?, dataset_file_path = ?, report_file_path = ?, error_message = ?,"
        + " parameters = ?::jsonb, completed_at = now(), duration_seconds = ? WHERE id = ?")) {
      int p = 1;
      s.setString(p++, run.status().dbName());
      integer(s, p++, run.splitSize(DatasetSplitter.Split::train));
      integer(s, p++, run.splitSize(DatasetSplitter.Split::validation));
      integer(s, p++, run.splitSize(DatasetSplitter.Split::test));
      integer(s, p++, run.totalIntents());
      real(s, p++, run.metric(Evaluation::accuracy));
      real(s, p++, run.metric(Evaluation::precisionMacro));
      real(s, p++, run.metric(Evaluation::recallMacro));
      real(s, p++, run.f1());
      real(s, p++, run.baselineMetric(Evaluation::accuracy));
      real(s, p++, run.baselineF1());
      s.setString(p++, run.judgedOn().map(TrustedSplit.JudgedOn::dbName).orElse(null));
      integer(s, p++, run.verifiedTestSamples());
      real(s, p++, run.verifiedF1());
      real(s, p++, run.allTestF1());
      s.setString(p++, artifacts.improvement().orElse(null));
      s.setString(p++, run.perIntentMetrics().orElse(null));
      s.setBoolean(p++, run.deployed());
      s.setString(p++, run.deployReason());
      s.setString(p++, run.modelVersion().orElse(null));
      s.setString(p++, run.modelConfig().orElse(null));
      s.setString(p++, run.modelFilePath().orElse(null));
      s.setString(p++, artifacts.dataset().orElse(null));
      s.setString(p++, artifacts.report().orElse(null));
      s.setString(p++, artifacts.errorMessage(run.failure()).orElse(null));
      s.setString(p++, Json.write(run.recordedParameters()));
      s.setFloat(p++, (float) Math.max(0, durationSeconds));
      s.setObject(p, run.request().runId());
      if (s.executeUpdate() != 1) {
        throw new SQLException("training run " + run.request().runId() + " is not recorded", "P0002");
      }
    }
  }

  /** The page of runs matching {@code filter}, newest start first. */
  public Page<JsonNode> list(Filter filter, PageRequest page) throws SQLException {
    String scope = "runs|status=" + filter.status().orElse("") + "|run_id=" + filter.runId().map(UUID::toString).orElse("");
    Optional<List<String>> after = page.cursor().map(cursor -> PageCursor.decode(cursor, scope, 2));
    Instant afterStart;
    UUID afterId;
    if (after.isPresent()) {
      try {
        afterStart = Instant.parse(after.get().get(0));
        afterId = UUID.fromString(after.get().get(1));
      } catch (DateTimeParseException | IllegalArgumentException e) {
        throw PageCursor.invalid();
      }
    } else {
      afterStart = null;
      afterId = null;
    }
    boolean one = filter.runId().isPresent();
    // Every fragment a compile-time constant (reliability's SqlBuiltFromConstantsTest checks it).
    var q = SqlQuery.builder().append("SELECT " + COLUMNS);
    if (one) {
      q.append(", per_intent_metrics");
    }
    q.append(" FROM ai_training_runs WHERE TRUE");
    filter.status().ifPresent(status -> q.append(" AND status = ?", status));
    filter.runId().ifPresent(id -> q.append(" AND id = ?", id));
    if (afterStart != null) {
      q.append(" AND (started_at, id) < (?, ?)", afterStart, afterId);
    }
    SqlQuery query = q.append(" ORDER BY started_at DESC, id DESC LIMIT ?", page.limit() + 1).build();
    List<ObjectNode> rows = database.run(c -> {
      try (PreparedStatement s = query.prepare(c); ResultSet rs = s.executeQuery()) {
        List<ObjectNode> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    });
    String next = null;
    if (rows.size() > page.limit()) {
      ObjectNode last = rows.get(page.limit() - 1);
      next = PageCursor.encode(scope, List.of(last.path("started_at").asText(), last.path("id").asText()));
      rows = rows.subList(0, page.limit());
    }
    return new Page<>(new ArrayList<>(rows), next);
  }

  private static ObjectNode row(ResultSet rs) throws SQLException {
    ObjectNode node = Json.MAPPER.createObjectNode();
    ResultSetMetaData meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnName(i);
      String type = meta.getColumnTypeName(i);
      Object value = rs.getObject(i);
      if (value == null) {
        node.putNull(name);
      } else if ("jsonb".equals(type)) {
        try {
          node.set(name, Json.MAPPER.readTree(rs.getString(i)));
        } catch (java.io.IOException e) {
          throw new SQLException("column " + name + " holds invalid JSON", e);
        }
      } else if ("timestamptz".equals(type)) {
        node.put(name, rs.getObject(i, OffsetDateTime.class).toInstant().toString());
      } else if ("float4".equals(type)) {
        // REAL columns: shown as the float they are (0.85, not 0.8500000238418579).
        node.put(name, Double.parseDouble(Float.toString(rs.getFloat(i))));
      } else if (value instanceof Integer n) {
        node.put(name, n);
      } else if (value instanceof Boolean b) {
        node.put(name, b);
      } else {
        node.put(name, value.toString());
      }
    }
    return node;
  }

  private static Optional<RunRef> ref(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new RunRef(rs.getObject(1, UUID.class), rs.getString(2),
          rs.getObject(3, OffsetDateTime.class).toInstant()));
    }
  }

  private static void integer(PreparedStatement s, int index, OptionalInt value) throws SQLException {
    if (value.isEmpty()) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value.getAsInt());
    }
  }

  private static void real(PreparedStatement s, int index, OptionalDouble value) throws SQLException {
    if (value.isEmpty() || Double.isNaN(value.getAsDouble())) {
      s.setNull(index, Types.REAL);
    } else {
      s.setFloat(index, (float) Math.max(0, Math.min(1, value.getAsDouble())));
    }
  }
}
