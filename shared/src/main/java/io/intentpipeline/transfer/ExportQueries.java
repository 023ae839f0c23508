package io.intentpipeline.transfer;

import io.intentpipeline.storage.SqlQuery;

/**
 * The statement behind an export: the rows, columns and order of {@code get_training_dataset}
 * (db/V10; a test holds both to the same answer), read directly so that the rows stream through a
 * cursor instead of being collected by the function first, and with a range on {@code created_at}.
 */
public final class ExportQueries {
  private ExportQueries() {}

  /** The statement selecting the rows of {@code request}, in export order. */
  public static SqlQuery rows(ExportRequest request) {
    SqlQuery.Builder sql = SqlQuery.builder().append("""
        SELECT d.user_message,
               COALESCE(d.correct_intent, d.detected_intent)::text AS intent,
               COALESCE(d.correct_response, d.ai_response) AS response,
               d.confidence_score, d.category, d.escalated, d.corrected_by_human, d.source, d.created_at
        FROM ai_training_data d
        WHERE COALESCE(d.correct_intent, d.detected_intent) IS NOT NULL
          AND d.dataset_status <> 'rejected'
          AND (d.corrected_by_human OR d.confidence_score IS NULL OR d.confidence_score >= ?)
        """, request.minConfidence());
    if (request.onlyReviewed()) {
      sql.append("  AND (d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved'))\n");
    }
    request.from().ifPresent(from -> sql.append("  AND d.created_at >= ?\n", from));
    request.to().ifPresent(to -> sql.append("  AND d.created_at < ?\n", to));
    sql.append("ORDER BY (d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved')) DESC, d.created_at DESC, d.id\n");
    request.limit().ifPresent(limit -> sql.append("LIMIT ?\n", limit));
    return sql.build();
  }
}
