package io.intentpipeline.pipeline;

/**
 * How far a run can trust a sample's label, and so what it may do with it (see {@link TrustedSplit}).
 * A human-verified label is corrected, reviewed, approved or imported as labelled data.
 */
enum Trust {
  /** Imported as labelled data: a human's label, and a sample not chosen for being hard. */
  LABELLED,
  /** Picked at random from live traffic for review (audit) and reviewed: a human's label on a representative message. */
  AUDITED,
  /** Picked for review (audit) but not reviewed yet: its label is the bot's, and it is kept for measuring. */
  AUDIT_PENDING,
  /** Reviewed or corrected by a human, from the review queue: a human's label on a message chosen for being hard. */
  REVIEWED,
  /** Nobody reviewed it: the label is the bot's answer. */
  BOT;

  /** The trust of a row: whether a human verified its label, whether it is an audit pick, and its source. */
  static Trust of(boolean verified, boolean audit, String source) {
    if (audit) {
      return verified ? AUDITED : AUDIT_PENDING;
    }
    if (!verified) {
      return BOT;
    }
    return "imported".equals(source) ? LABELLED : REVIEWED;
  }

  /** Whether a human gave or confirmed the label. */
  boolean verified() {
    return this == LABELLED || this == AUDITED || this == REVIEWED;
  }

  /** Whether the trust of the same text seen twice is this one rather than {@code other}: audit first, then by verification. */
  boolean outranks(Trust other) {
    return ordinal() < other.ordinal();
  }
}
