package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanSummaryTest {
  private static JsonNode logged(String json) {
    return PlanSummary.parseLogged("duration: 1.2 ms  plan:\n" + json);
  }

  @Test
  void summarisesTheInnerStatementThatTookLongestAndEveryIndexUsed() {
    JsonNode inner = logged("""
        {"Query Text": "...", "Plan": {"Node Type": "Limit", "Actual Total Time": 5.0,
          "Shared Hit Blocks": 12, "Shared Read Blocks": 3,
          "Plans": [{"Node Type": "Index Scan", "Index Name": "queue_idx", "Relation Name": "t"}]}}""");
    JsonNode quick = logged("""
        {"Plan": {"Node Type": "Seq Scan", "Relation Name": "small", "Actual Total Time": 0.1}}""");
    JsonNode outer = logged("""
        {"Plan": {"Node Type": "Result", "Actual Total Time": 6.0}}""");

    PlanSummary summary = PlanSummary.of(List.of(inner, quick, outer));

    assertThat(summary.topNode()).isEqualTo("Limit > Index Scan");
    assertThat(summary.indexes()).containsExactly("queue_idx");
    assertThat(summary.seqScans()).containsExactly("small");
    assertThat(summary.line()).isEqualTo(
        "Limit > Index Scan; indexes: queue_idx; seq scans: small; buffers hit=12 read=3");
  }

  @Test
  void aSingleStatementIsItsOwnSummary() {
    JsonNode only = logged("""
        {"Plan": {"Node Type": "Aggregate", "Strategy": "Hashed", "Actual Total Time": 2.0,
          "Plans": [{"Node Type": "Sort", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "t"}]}]}}""");

    PlanSummary summary = PlanSummary.of(List.of(only));

    assertThat(summary.topNode()).isEqualTo("Hashed Aggregate > .. > Seq Scan");
    assertThat(summary.indexes()).isEmpty();
  }

  @Test
  void messagesWithoutAPlanAreIgnored() {
    assertThat(PlanSummary.parseLogged("no plan here")).isNull();
  }
}
