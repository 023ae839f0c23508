package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A one-line summary of the plans PostgreSQL logged for one call (EXPLAIN ... FORMAT JSON or
 * auto_explain): the top node of the plan that did the work, the indexes it used, the tables it
 * read in full, and its shared buffers.
 */
record PlanSummary(String topNode, Set<String> indexes, Set<String> seqScans, long hitBlocks, long readBlocks,
                   double milliseconds) {

  /**
   * Summarises {@code plans} (each a JSON object with a {@code Plan}, as auto_explain and EXPLAIN
   * FORMAT JSON write them, in the order the statements ended). A call of a SQL function logs its
   * inner statements first and the outer call last; the inner statement that took longest is
   * the one shown, and the indexes and full scans of all are listed.
   */
  static PlanSummary of(List<JsonNode> plans) {
    if (plans.isEmpty()) {
      return new PlanSummary("(no plan)", Set.of(), Set.of(), 0, 0, 0);
    }
    List<JsonNode> candidates = plans.size() > 1 ? plans.subList(0, plans.size() - 1) : plans;
    JsonNode main = candidates.get(0).path("Plan");
    for (JsonNode plan : candidates) {
      if (plan.path("Plan").path("Actual Total Time").asDouble() > main.path("Actual Total Time").asDouble()) {
        main = plan.path("Plan");
      }
    }
    Set<String> indexes = new LinkedHashSet<>();
    Set<String> seqScans = new LinkedHashSet<>();
    for (JsonNode plan : plans) {
      walk(plan.path("Plan"), indexes, seqScans);
    }
    return new PlanSummary(describe(main), indexes, seqScans, main.path("Shared Hit Blocks").asLong(),
        main.path("Shared Read Blocks").asLong(), main.path("Actual Total Time").asDouble());
  }

  /** Parses the JSON plan out of an auto_explain message ({@code duration: ... plan:} then JSON). */
  static JsonNode parseLogged(String message) {
    int start = message.indexOf('{');
    if (start < 0) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(message.substring(start));
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static void walk(JsonNode node, Set<String> indexes, Set<String> seqScans) {
    if (node.has("Index Name")) {
      indexes.add(node.path("Index Name").asText());
    }
    if (node.path("Node Type").asText().equals("Seq Scan")) {
      seqScans.add(node.path("Relation Name").asText());
    }
    for (JsonNode child : node.path("Plans")) {
      walk(child, indexes, seqScans);
    }
  }

  /** The top node and, down the first children, the node that reads the data. */
  private static String describe(JsonNode plan) {
    List<String> chain = new ArrayList<>();
    JsonNode node = plan;
    while (node != null && !node.isMissingNode()) {
      String type = node.path("Node Type").asText();
      if (node.has("Strategy") && !node.path("Strategy").asText().equals("Plain")) {
        type = node.path("Strategy").asText() + " " + type;
      }
      chain.add(type);
      JsonNode children = node.path("Plans");
      node = children.isArray() && children.size() > 0 ? children.get(0) : null;
    }
    if (chain.size() <= 2) {
      return String.join(" > ", chain);
    }
    return chain.get(0) + " > .. > " + chain.get(chain.size() - 1);
  }

  /** {@code top node; indexes: ...; seq scans: ...; buffers hit/read}. */
  String line() {
    return String.format(Locale.ROOT, "%s; indexes: %s; seq scans: %s; buffers hit=%d read=%d", topNode,
        indexes.isEmpty() ? "none" : String.join(", ", indexes),
        seqScans.isEmpty() ? "none" : String.join(", ", seqScans), hitBlocks, readBlocks);
  }
}
