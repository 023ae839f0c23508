package io.intentpipeline.review;

import com.fasterxml.jackson.annotation.JsonValue;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Optional;

/**
 * Why a sample is in the review queue. The queue serves {@link #AUDIT} samples first: the live
 * accuracy of the metrics exists only once they are reviewed.
 */
public enum ReviewReason {
  /**
   * Picked at random from live traffic (the audit sample, {@code review_reason = 'audit'}),
   * whatever its confidence, and served in random order: reviewed, it tells how often the bot is
   * right on its real traffic.
   */
  AUDIT("audit"),
  /**
   * Waiting in the queue's own order, least confident first ({@code review_reason IS NULL}):
   * reviewing these finds the bot's mistakes fastest, and is biased toward hard cases.
   */
  PRIORITY("priority");

  private final String key;

  ReviewReason(String key) {
    this.key = key;
  }

  /** The name the API uses: {@code audit} or {@code priority}. */
  @JsonValue
  public String key() {
    return key;
  }

  /** The reason of a row whose {@code review_reason} column holds {@code column}. */
  static ReviewReason ofColumn(String column) {
    return column == null ? PRIORITY : AUDIT;
  }

  /** The reason named {@code key}, if any. */
  static Optional<ReviewReason> byKey(String key) {
    for (ReviewReason reason : values()) {
      if (reason.key.equals(key)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  /** The reason named {@code value}; a 400 naming {@code field} otherwise. */
  public static ReviewReason parse(String field, String value) {
    return byKey(value).orElseThrow(() -> new InvalidRequestException(field, field + " must be audit or priority"));
  }
}
