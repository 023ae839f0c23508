package io.intentpipeline.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * A text after {@link Redactor#redact}: the text with placeholders, the built-in kinds found (bits
 * of {@link Redactor}) and the names of the operator's kinds found, in order of appearance.
 */
public record Redaction(String text, int builtIn, List<String> custom) {
  public Redaction {
    custom = List.copyOf(custom);
  }

  /** True when anything was replaced. */
  public boolean any() {
    return builtIn != 0 || !custom.isEmpty();
  }

  /** The kinds found, built-in first ({@code card}, {@code iban}, {@code email}, {@code phone}), then the operator's. */
  public List<String> kinds() {
    if (!any()) {
      return List.of();
    }
    List<String> names = new ArrayList<>(4 + custom.size());
    for (int k = 0; k < Redactor.NAMES.length; k++) {
      if ((builtIn & (1 << k)) != 0) {
        names.add(Redactor.NAMES[k]);
      }
    }
    for (String c : custom) {
      if (!names.contains(c)) {
        names.add(c);
      }
    }
    return List.copyOf(names);
  }

  /** The kinds found in this text or in {@code other}, in the order of {@link #kinds()}. */
  public List<String> kindsWith(Redaction other) {
    if (other == null) {
      return kinds();
    }
    List<String> custom = new ArrayList<>(this.custom);
    for (String c : other.custom) {
      if (!custom.contains(c)) {
        custom.add(c);
      }
    }
    return new Redaction("", builtIn | other.builtIn, custom).kinds();
  }
}
