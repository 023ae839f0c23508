package io.intentpipeline.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** One ai_training_data row of a fixture, written with plain SQL (no code under test involved). */
final class Row {
  final String interactionId;
  String userMessage;
  String detectedIntent = "greeting";
  String correctIntent;
  String aiResponse;
  String correctResponse;
  Integer confidence = 80;
  boolean escalated;
  String category;
  String source = "live";
  String status = "pending";
  Instant occurredAt;
  Instant createdAt;

  private Row(String interactionId) {
    this.interactionId = interactionId;
    this.userMessage = "message of " + interactionId;
  }

  static Row of(String interactionId) {
    return new Row(interactionId);
  }

  Row detected(String intent) {
    this.detectedIntent = intent;
    return this;
  }

  Row correct(String intent) {
    this.correctIntent = intent;
    return this;
  }

  Row response(String response) {
    this.aiResponse = response;
    return this;
  }

  Row correctResponse(String response) {
    this.correctResponse = response;
    return this;
  }

  Row confidence(Integer confidence) {
    this.confidence = confidence;
    return this;
  }

  Row escalated(boolean escalated) {
    this.escalated = escalated;
    return this;
  }

  Row category(String category) {
    this.category = category;
    return this;
  }

  Row source(String source) {
    this.source = source;
    return this;
  }

  Row status(String status) {
    this.status = status;
    return this;
  }

  Row occurred(Instant at) {
    this.occurredAt = at;
    return this;
  }

  Row created(Instant at) {
    this.createdAt = at;
    return this;
  }

  /** Inserts the row and returns its id. */
  UUID insert(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("""
        INSERT INTO ai_training_data (interaction_id, user_message, detected_intent, correct_intent, ai_response,
                                      correct_response, confidence_score, escalated, category, source,
                                      dataset_status, occurred_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, now()), COALESCE(?, now()))
        RETURNING id""")) {
      s.setString(1, interactionId);
      s.setString(2, userMessage);
      s.setString(3, detectedIntent);
      s.setString(4, correctIntent);
      s.setString(5, aiResponse);
      s.setString(6, correctResponse);
      s.setObject(7, confidence, java.sql.Types.INTEGER);
      s.setBoolean(8, escalated);
      s.setString(9, category);
      s.setString(10, source);
      s.setString(11, status);
      s.setObject(12, at(occurredAt), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
      s.setObject(13, at(createdAt), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    }
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
