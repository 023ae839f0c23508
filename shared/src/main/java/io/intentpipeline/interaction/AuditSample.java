package io.intentpipeline.interaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The audit sample: a share of live interactions picked at random for review
 * ({@code review_reason = 'audit'}), so that the reviewed ones estimate the bot's accuracy on its
 * real traffic, which the review queue's own picks (least confident first) cannot.
 *
 * <p>The pick is a pure function of the interaction id: the first 52 bits of SHA-256 of its UTF-8
 * bytes, read as a fraction {@code u} in [0, 1) (the first 13 hex digits over 16^13); the
 * interaction is audited when its source is {@code live} and {@code u < share}. So a retried or
 * duplicated message, which carries the same id, gets the same decision, and ids of any shape
 * (UUIDs, sequential {@code orc-...-0001}) spread evenly over [0, 1). Imported and synthetic
 * samples are never audited: they are not the bot's traffic.
 *
 * @param share the share of live interactions audited, 0..1 ({@code AUDIT_SHARE}, default 0.02)
 */
public record AuditSample(double share) {
  /** The share of live traffic audited by default: 2 %. */
  public static final double DEFAULT_SHARE = 0.02;

  /** What an audited row stores in {@code review_reason}. */
  public static final String REASON = "audit";

  /** No interaction is audited. */
  public static final AuditSample NONE = new AuditSample(0);

  public AuditSample {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("the audit share must be between 0 and 1, got " + share);
    }
  }

  /** Whether {@code interaction} is audited. */
  public boolean picks(Interaction interaction) {
    return share > 0 && "live".equals(interaction.source()) && fraction(interaction.interactionId()) < share;
  }

  /** The {@code review_reason} to store for {@code interaction}: {@value #REASON}, or null. */
  public String reviewReason(Interaction interaction) {
    return picks(interaction) ? REASON : null;
  }

  /** Where {@code interactionId} falls in [0, 1): the first 52 bits of its SHA-256, over 2^52. */
  public static double fraction(String interactionId) {
    byte[] digest = sha256().digest(interactionId.getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int k = 0; k < 8; k++) {
      bits = (bits << 8) | (digest[k] & 0xff);
    }
    return (bits >>> 12) * 0x1p-52;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
