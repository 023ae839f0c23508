package io.intentpipeline.metrics;

import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Which snapshots to list: one period type or all, whose period starts in [{@code from}, {@code to}). */
public record HistoryFilter(Optional<PeriodType> periodType, Optional<Instant> from, Optional<Instant> to) {
  /** The query parameters of {@code GET /ai/training/metrics/history}. */
  public static final Set<String> PARAMETERS = Set.of("period_type", "from", "to", "limit", "cursor");

  public HistoryFilter {
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw new InvalidRequestException("to", "to must be after from");
    }
  }

  /** Every snapshot. */
  public static HistoryFilter none() {
    return new HistoryFilter(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads the filter from the query string; bad values are 400s naming the parameter. */
  public static HistoryFilter from(QueryParams query) {
    return new HistoryFilter(
        query.string("period_type").map(value -> PeriodType.parse("period_type", value)),
        query.instant("from"),
        query.instant("to"));
  }

  String scope() {
    return "history|" + periodType.map(PeriodType::key).orElse("") + "|"
        + from.map(Instant::toString).orElse("") + "|" + to.map(Instant::toString).orElse("");
  }
}
