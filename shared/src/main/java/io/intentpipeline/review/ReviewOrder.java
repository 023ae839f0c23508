package io.intentpipeline.review;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.QueryParams;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The orders in which {@code GET /ai/training/pending-review} hands out the samples waiting for
 * review ({@code order=}). Each reads the scores of the model in service when a deploy re-scored
 * the row, else the bot's own ({@code COALESCE(rescored, original)}):
 *
 * <ul>
 *   <li>{@code lowest_confidence}: lowest confidence, then smallest margin (none counts as 1), then id;
 *   <li>{@code smallest_margin}: smallest margin between the two best intents, then lowest confidence, then id;
 *   <li>{@code diverse}: the first {@link ReviewQueries#DIVERSE_HEAD} samples of {@code lowest_confidence},
 *       ranked within their confusion (detected intent, best other intent) by that order, then by
 *       (rank, confidence, margin, id): the least confident sample of each confusion comes before the
 *       second of any; the rest of the queue follows in {@code lowest_confidence} order.
 * </ul>
 *
 * <p>Which one a request without {@code order} gets is a setting ({@code REVIEW_ORDER}).
 */
public enum ReviewOrder {
  LOWEST_CONFIDENCE("lowest_confidence"),
  SMALLEST_MARGIN("smallest_margin"),
  DIVERSE("diverse");

  /** The query parameter naming the order. */
  public static final String PARAMETER = "order";
  /** The environment variable of the order a request without {@code order} gets. */
  public static final String SETTING = "REVIEW_ORDER";
  /** The order of a request without {@code order} when the setting is unset. */
  public static final ReviewOrder DEFAULT = LOWEST_CONFIDENCE;

  private static final Set<String> NAMES = new TreeSet<>(Arrays.stream(values()).map(ReviewOrder::key).toList());

  private final String key;

  ReviewOrder(String key) {
    this.key = key;
  }

  /** Its name in the API, the setting and the simulation: {@code lowest_confidence}, ... */
  public String key() {
    return key;
  }

  /** Every name, in declaration order. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(ReviewOrder::key).toList();
  }

  /** The order named {@code key}; {@link IllegalArgumentException} listing the names for any other. */
  public static ReviewOrder named(String key) {
    for (ReviewOrder order : values()) {
      if (order.key.equals(key)) {
        return order;
      }
    }
    throw new IllegalArgumentException("unknown review order '" + key + "'; accepted: " + String.join(", ", NAMES));
  }

  /** The {@code order} of the query string, or {@code fallback}; another value is a 400 listing the accepted ones. */
  public static ReviewOrder from(QueryParams query, ReviewOrder fallback) {
    return query.choice(PARAMETER, NAMES).map(ReviewOrder::named).orElse(fallback);
  }

  /** {@code REVIEW_ORDER}, or {@link #DEFAULT} when unset; another value fails naming the variable. */
  public static ReviewOrder fromEnv(Env env) {
    String raw = env.optional(SETTING).orElse(DEFAULT.key);
    if (!NAMES.contains(raw)) {
      throw new ConfigException("Environment variable " + SETTING + " must be one of " + String.join(", ", NAMES)
          + ", got '" + raw + "'");
    }
    return named(raw);
  }
}
