package io.intentpipeline.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;

/**
 * A request to undo one recorded correction ({@code POST /ai/training/correction/undo}), validated.
 *
 * @param correctionId the correction to undo: the {@code correction_id} its submission answered
 * @param undoneBy the reviewer's user id in the host application, if known (kept in the audit trail)
 */
public record UndoRequest(UUID correctionId, Optional<UUID> undoneBy) {

  /** Reads and validates a request body; any problem is a 400 naming the field. */
  public static UndoRequest fromJson(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("body", "Request body must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("correction_id") && !name.equals("undone_by")) {
        throw new InvalidRequestException(name, "Unknown field '" + name + "'; expected: correction_id, undone_by");
      }
    }
    UUID id = CorrectionRequest.uuid(body, "correction_id").orElseThrow(
        () -> new InvalidRequestException("correction_id", "correction_id is required: the correction_id"
            + " POST /ai/training/correction answered"));
    return new UndoRequest(id, CorrectionRequest.uuid(body, "undone_by"));
  }
}
