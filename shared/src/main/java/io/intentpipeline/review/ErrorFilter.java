package io.intentpipeline.review;

import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which classification errors to list: {@code intent} on either side (detected or correct),
 * or {@code detectedIntent} / {@code correctIntent} on one side, and when the interaction
 * happened ({@code from} inclusive, {@code to} exclusive).
 */
public record ErrorFilter(
    Optional<String> intent,
    Optional<String> detectedIntent,
    Optional<String> correctIntent,
    Optional<Instant> from,
    Optional<Instant> to) {

  /** The query parameters of {@code GET /ai/training/errors}. */
  public static final Set<String> PARAMETERS =
      Set.of("intent", "detected_intent", "correct_intent", "from", "to", "limit", "cursor");

  public ErrorFilter {
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw new InvalidRequestException("to", "to must be after from");
    }
  }

  /** No filter: every classification error. */
  public static ErrorFilter none() {
    return new ErrorFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads the filter from the query string; bad values are 400s naming the parameter. */
  public static ErrorFilter from(QueryParams query) {
    return new ErrorFilter(
        query.intent("intent"),
        query.intent("detected_intent"),
        query.intent("correct_intent"),
        query.instant("from"),
        query.instant("to"));
  }

  String scope() {
    return "errors|" + intent.orElse("") + "|" + detectedIntent.orElse("") + "|" + correctIntent.orElse("") + "|"
        + from.map(Instant::toString).orElse("") + "|" + to.map(Instant::toString).orElse("");
  }
}
