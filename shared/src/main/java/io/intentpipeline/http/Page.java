package io.intentpipeline.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One page of a listing: its items, and the cursor of the next page (null on the last page). */
public record Page<T>(
    @JsonProperty("items") List<T> items,
    @JsonProperty("next_cursor") String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
