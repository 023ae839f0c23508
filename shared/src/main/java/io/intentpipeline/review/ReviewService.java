package io.intentpipeline.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.Page;
import io.intentpipeline.http.PageCursor;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.SqlQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Human review against PostgreSQL: submitting corrections, the review queue, the error list. */
public final class ReviewService {
  private final Database database;

  /** Review over {@code database}. */
  public ReviewService(Database database) {
    this.database = database;
  }

  /**
   * Records {@code request} with {@code submit_intent_correction}; empty when no training data has
   * its id. Submitting the same correction again changes nothing and answers {@code duplicate}.
   */
  public Optional<CorrectionOutcome> submit(CorrectionRequest request) throws SQLException {
    return database.run(connection -> {
      try (var statement = ReviewQueries.submitCorrection(request).prepare(connection);
           ResultSet rs = statement.executeQuery()) {
        rs.next();
        JsonNode result = Json.MAPPER.readTree(rs.getString(1));
        return Optional.of(CorrectionOutcome.of(
            UUID.fromString(result.path("correction_id").asText()),
            UUID.fromString(result.path("training_data_id").asText()),
            result.path("original_intent").isNull() ? null : result.path("original_intent").asText(),
            result.path("corrected_intent").asText(),
            result.path("was_mismatch").asBoolean(),
            result.path("new_intent").asBoolean(),
            result.path("duplicate").asBoolean()));
      } catch (SQLException e) {
        if ("P0002".equals(e.getSQLState())) {
          return Optional.empty();
        }
        throw e;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("submit_intent_correction returned malformed JSON", e);
      }
    });
  }

  /**
   * Undoes one correction with {@code undo_intent_correction} (db/V17): the row gets back the
   * fields it had before it, and the undo is recorded (the corrections stay). Empty when no
   * correction has the id; an outcome whose {@link UndoOutcome#undone()} is false changed nothing.
   */
  public Optional<UndoOutcome> undo(UndoRequest request) throws SQLException {
    return database.run(connection -> {
      try (var statement = ReviewQueries.undoCorrection(request).prepare(connection);
           ResultSet rs = statement.executeQuery()) {
        rs.next();
        JsonNode result = Json.MAPPER.readTree(rs.getString(1));
        return Optional.of(new UndoOutcome(
            result.path("status").asText(),
            UUID.fromString(result.path("correction_id").asText()),
            UUID.fromString(result.path("training_data_id").asText()),
            result.path("correct_intent").isNull() ? null : result.path("correct_intent").asText(),
            result.path("dataset_status").asText()));
      } catch (SQLException e) {
        if ("P0002".equals(e.getSQLState())) {
          return Optional.empty();
        }
        throw e;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("undo_intent_correction returned malformed JSON", e);
      }
    });
  }

  /**
   * One page of the samples waiting for review: the audit sample first (the live accuracy of the
   * metrics needs it reviewed) in random order (by id, see {@link ReviewQueries#auditQueue}), then
   * the others in {@code order} (see {@link ReviewOrder}). With {@code filter.reason()}, that part
   * alone. The cursor holds the last item's reason and its key in {@code order}
   * ({@link PendingCursor}), so a page may end in one part and the next begin in the other.
   */
  public Page<PendingSample> pendingReview(PendingReviewFilter filter, ReviewOrder order, PageRequest page)
      throws SQLException {
    List<ReviewReason> parts = filter.reason().map(List::of)
        .orElse(List.of(ReviewReason.AUDIT, ReviewReason.PRIORITY));
    Optional<PendingCursor.Position> after = page.cursor().map(cursor -> PendingCursor.decode(cursor, filter, order));
    if (after.isPresent() && !parts.contains(after.get().reason())) {
      throw PageCursor.invalid();
    }
    record Row(PendingSample sample, ReviewQueries.PendingKey key) {}
    RowMapper<Row> mapper = rs -> {
      UUID id = rs.getObject("id", UUID.class);
      return new Row(new PendingSample(
          id,
          rs.getString("interaction_id"),
          rs.getString("user_message"),
          rs.getString("detected_intent"),
          rs.getInt("confidence_score"),
          floatOrNull(rs, "intent_margin"),
          json(rs.getString("top_intents")),
          rs.getString("ai_response"),
          rs.getBoolean("escalated"),
          rs.getString("response_source"),
          rs.getString("category"),
          rs.getString("source"),
          rs.getString("dataset_status"),
          instant(rs, "occurred_at"),
          ReviewReason.ofColumn(rs.getString("review_reason")),
          rescored(rs)),
          new ReviewQueries.PendingKey(rs.getInt("pair_rank"), rs.getInt("confidence_key"), rs.getFloat("margin_key"),
              id));
    };
    List<Row> rows = new ArrayList<>();
    int first = after.map(position -> parts.indexOf(position.reason())).orElse(0);
    for (int part = first; part < parts.size() && rows.size() <= page.limit(); part++) {
      Optional<ReviewQueries.PendingKey> key = part == first
          ? after.map(PendingCursor.Position::key) : Optional.empty();
      int limit = page.limit() + 1 - rows.size();
      rows.addAll(query(parts.get(part) == ReviewReason.AUDIT
          ? ReviewQueries.auditQueue(filter, key.map(ReviewQueries.PendingKey::id), limit)
          : ReviewQueries.pendingReview(filter.withReason(parts.get(part)), order, key, limit), mapper));
    }
    return page(rows, page.limit(), Row::sample,
        last -> PendingCursor.encode(filter, order, last.sample().reviewReason(), last.key()));
  }

  /** The re-scored figures of a row, when a deploy re-scored it. */
  private static PendingSample.Rescored rescored(ResultSet rs) throws SQLException {
    String version = rs.getString("rescored_model_version");
    if (version == null) {
      return null;
    }
    return new PendingSample.Rescored(version, rs.getString("rescored_intent"), rs.getInt("rescored_confidence"),
        rs.getFloat("rescored_margin"), json(rs.getString("rescored_top_intents")), instant(rs, "rescored_at"));
  }

  /** One page of classification errors, newest interaction first. */
  public Page<ClassificationError> errors(ErrorFilter filter, PageRequest page) throws SQLException {
    String scope = filter.scope();
    Optional<ReviewQueries.ErrorKey> after = page.cursor().map(cursor -> {
      List<String> key = PageCursor.decode(cursor, scope, 2);
      try {
        return new ReviewQueries.ErrorKey(Instant.parse(key.get(0)), UUID.fromString(key.get(1)));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        throw PageCursor.invalid();
      }
    });
    List<ClassificationError> rows = query(ReviewQueries.errors(filter, after, page.limit() + 1), rs ->
        new ClassificationError(
            rs.getObject("id", UUID.class),
            rs.getString("interaction_id"),
            rs.getString("user_message"),
            rs.getString("detected_intent"),
            rs.getString("correct_intent"),
            (Integer) rs.getObject("confidence_score"),
            rs.getString("ai_response"),
            rs.getString("correct_response"),
            rs.getBoolean("escalated"),
            (Boolean) rs.getObject("should_escalate"),
            rs.getObject("corrected_by", UUID.class),
            instant(rs, "corrected_at"),
            instant(rs, "occurred_at")));
    return page(rows, page.limit(), e -> e, last -> PageCursor.encode(scope, List.of(
        last.occurredAt().toString(), last.id().toString())));
  }

  /** Reads one row into a value. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(SqlQuery query, RowMapper<T> mapper) throws SQLException {
    return database.run(connection -> {
      try (var statement = query.prepare(connection); ResultSet rs = statement.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    });
  }

  /** The first {@code limit} of {@code rows} (fetched one more to learn whether a next page exists). */
  private static <R, T> Page<T> page(List<R> rows, int limit, Function<R, T> item, Function<R, String> cursorAfter) {
    List<T> items = rows.stream().limit(limit).map(item).toList();
    String next = rows.size() > limit ? cursorAfter.apply(rows.get(limit - 1)) : null;
    return new Page<>(items, next);
  }

  private static Float floatOrNull(ResultSet rs, String column) throws SQLException {
    float value = rs.getFloat(column);
    return rs.wasNull() ? null : value;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("top intents hold malformed JSON", e);
    }
  }
}
