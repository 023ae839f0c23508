package io.intentpipeline.http;

import java.util.Optional;

/**
 * Which page of a listing a caller asks for: at most {@code limit} items, after {@code cursor}
 * (the {@code next_cursor} of the previous page) or from the start.
 */
public record PageRequest(int limit, Optional<String> cursor) {
  /** Items per page when the caller does not say. */
  public static final int DEFAULT_LIMIT = 50;
  /** The most items one page may hold. */
  public static final int MAX_LIMIT = 200;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /** {@code limit} (1-200, default 50) and {@code cursor} from the query string. */
  public static PageRequest from(QueryParams query) {
    return new PageRequest(query.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), query.string("cursor"));
  }

  /** The first page of {@code limit} items. */
  public static PageRequest first(int limit) {
    return new PageRequest(limit, Optional.empty());
  }
}
