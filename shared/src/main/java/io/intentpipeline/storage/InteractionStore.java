package io.intentpipeline.storage;

import io.intentpipeline.json.Json;
import io.intentpipeline.interaction.AuditSample;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.TopIntent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores interactions in {@code ai_training_data}, idempotently: a batch is one INSERT ... SELECT
 * FROM unnest(column arrays) ON CONFLICT (interaction_id) DO NOTHING, so one round trip whatever
 * its size, and an interaction stored before is stored again as nothing.
 *
 * <p>Each live interaction the {@link AuditSample} picks is stored with {@code review_reason =
 * 'audit'}; the pick depends on the interaction id alone, so storing it again decides the same.
 *
 * <p>If the database refuses the batch for its data (SQLSTATE class 22 or 23, which validation
 * should make impossible), the rows are retried one by one so that only the offending ones are
 * rejected. Any other failure (connection, server down) propagates: nothing was stored.
 *
 * <p>An interaction of a user or conversation erased after it happened (db/V16, {@code
 * ai_data_erasures}) is not stored: it is reported like a duplicate, so the queue lets it go.
 */
public final class InteractionStore {
  static final String INSERT = """
      INSERT INTO ai_training_data (interaction_id, user_message, detected_intent, confidence_score,
                                    ai_response, escalated, response_source, category,
                                    conversation_id, message_id, user_id, top_intents, intent_margin,
                                    occurred_at, source, review_reason, redacted_kinds)
      SELECT t.interaction_id, t.user_message, t.detected_intent, t.confidence_score,
             t.ai_response, t.escalated, t.response_source, t.category,
             t.conversation_id, t.message_id, t.user_id, t.top_intents::jsonb, t.intent_margin,
             t.occurred_at::timestamptz, t.source, t.review_reason,
             COALESCE(string_to_array(NULLIF(t.redacted_kinds, ''), ','), '{}')
      FROM unnest(?::text[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::bool[], ?::text[], ?::text[],
                  ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::float4[], ?::text[], ?::text[], ?::text[],
                  ?::text[])
        AS t(interaction_id, user_message, detected_intent, confidence_score, ai_response, escalated,
             response_source, category, conversation_id, message_id, user_id, top_intents,
             intent_margin, occurred_at, source, review_reason, redacted_kinds)
      -- An interaction of an erased user or conversation that happened before the erasure and was
      -- still queued is not stored (docs/PRIVACY.md).
      WHERE NOT EXISTS (SELECT 1 FROM ai_data_erasures e
                        WHERE e.subject_id IN (t.user_id, t.conversation_id)
                          AND e.kind IN ('user', 'conversation')
                          AND e.erased_at >= t.occurred_at::timestamptz)
      ON CONFLICT (interaction_id) DO NOTHING
      RETURNING interaction_id
      """;


  /**
   * What a store did: the ids newly inserted, and those the database refused (id to SQLSTATE).
   * Every other id given was already stored (a duplicate).
   */
  public record Result(Set<String> inserted, Map<String, String> rejected) {
    public Result {
      inserted = Set.copyOf(inserted);
      rejected = Map.copyOf(rejected);
    }
  }

  private final Database database;
  private final AuditSample audit;

  /** Stores through {@code database}, marking the interactions {@code audit} picks. */
  public InteractionStore(Database database, AuditSample audit) {
    this.database = database;
    this.audit = audit;
  }

  /** Stores {@code interactions} (the first of each id wins); throws when the database is unavailable. */
  public Result store(Collection<Interaction> interactions) throws SQLException {
    Map<String, Interaction> unique = new LinkedHashMap<>();
    for (Interaction i : interactions) {
      unique.putIfAbsent(i.interactionId(), i);
    }
    if (unique.isEmpty()) {
      return new Result(Set.of(), Map.of());
    }
    List<Interaction> rows = new ArrayList<>(unique.values());
    return database.run(connection -> {
      try {
        return new Result(insert(connection, rows), Map.of());
      } catch (SQLException e) {
        if (!isDataError(e)) {
          throw e;
        }
      }
      Set<String> inserted = new HashSet<>();
      Map<String, String> rejected = new LinkedHashMap<>();
      for (Interaction row : rows) {
        try {
          inserted.addAll(insert(connection, List.of(row)));
        } catch (SQLException e) {
          if (!isDataError(e)) {
            throw e;
          }
          rejected.put(row.interactionId(), e.getSQLState());
        }
      }
      return new Result(inserted, rejected);
    });
  }

  private static boolean isDataError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  private Set<String> insert(Connection connection, List<Interaction> batch) throws SQLException {
    // In interaction id order: two flushes storing overlapping batches (a message delivered twice)
    // then take the rows' insert locks in the same order and cannot deadlock (SQLSTATE 40P01, seen
    // in DuplicateDeliveryIT when each took them in its own batch's order).
    List<Interaction> rows = batch.stream().sorted(java.util.Comparator.comparing(Interaction::interactionId)).toList();
    int n = rows.size();
    String[] ids = new String[n];
    String[] messages = new String[n];
    String[] intents = new String[n];
    Integer[] confidences = new Integer[n];
    String[] responses = new String[n];
    Boolean[] escalated = new Boolean[n];
    String[] responseSources = new String[n];
    String[] categories = new String[n];
    UUID[] conversations = new UUID[n];
    UUID[] messageIds = new UUID[n];
    UUID[] users = new UUID[n];
    String[] topIntents = new String[n];
    Float[] margins = new Float[n];
    String[] occurred = new String[n];
    String[] sources = new String[n];
    String[] reasons = new String[n];
    String[] redacted = new String[n];
    for (int k = 0; k < n; k++) {
      Interaction i = rows.get(k);
      ids[k] = i.interactionId();
      messages[k] = i.userMessage();
      intents[k] = i.detectedIntent();
      confidences[k] = i.confidenceScore();
      responses[k] = i.aiResponse();
      escalated[k] = i.escalated();
      responseSources[k] = i.responseSource();
      categories[k] = i.category();
      conversations[k] = i.conversationId();
      messageIds[k] = i.messageId();
      users[k] = i.userId();
      topIntents[k] = i.topIntents().isEmpty() ? null : topIntentsJson(i.topIntents());
      margins[k] = i.intentMargin().map(Double::floatValue).orElse(null);
      occurred[k] = i.occurredAt().toString();
      sources[k] = i.source();
      reasons[k] = audit.reviewReason(i);
      redacted[k] = String.join(",", i.redactedKinds());
    }
    List<Array> arrays = new ArrayList<>(17);
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      int p = 1;
      p = bind(connection, statement, p, arrays, "text", ids);
      p = bind(connection, statement, p, arrays, "text", messages);
      p = bind(connection, statement, p, arrays, "text", intents);
      p = bind(connection, statement, p, arrays, "int4", confidences);
      p = bind(connection, statement, p, arrays, "text", responses);
      p = bind(connection, statement, p, arrays, "bool", escalated);
      p = bind(connection, statement, p, arrays, "text", responseSources);
      p = bind(connection, statement, p, arrays, "text", categories);
      p = bind(connection, statement, p, arrays, "uuid", conversations);
      p = bind(connection, statement, p, arrays, "uuid", messageIds);
      p = bind(connection, statement, p, arrays, "uuid", users);
      p = bind(connection, statement, p, arrays, "text", topIntents);
      p = bind(connection, statement, p, arrays, "float4", margins);
      p = bind(connection, statement, p, arrays, "text", occurred);
      p = bind(connection, statement, p, arrays, "text", sources);
      p = bind(connection, statement, p, arrays, "text", reasons);
      bind(connection, statement, p, arrays, "text", redacted);
      Set<String> inserted = new HashSet<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
      return inserted;
    } finally {
      for (Array a : arrays) {
        a.free();
      }
    }
  }

  private static int bind(Connection connection, PreparedStatement statement, int index, List<Array> arrays,
      String type, Object[] values) throws SQLException {
    Array array = connection.createArrayOf(type, values);
    arrays.add(array);
    statement.setArray(index, array);
    return index + 1;
  }

  /** {@code top_intents} as stored: [{"intent": ..., "confidence": ...}]. */
  static String topIntentsJson(List<TopIntent> topIntents) {
    var array = Json.MAPPER.createArrayNode();
    for (TopIntent t : topIntents) {
      array.addObject().put("intent", t.intent()).put("confidence", t.confidence());
    }
    return Json.write(array);
  }
}
