package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import org.junit.jupiter.api.Test;

class TrainScaleBenchmarkTest {
  private static JsonNode point(int samples, double value) {
    return Json.MAPPER.createObjectNode().put("samples", samples).put("y", value);
  }

  @Test
  void theLargestSizeFollowsAPowerLawThroughTheTwoPoints() {
    // Linear: 100 at 10,000, 200 at 20,000 -> 900 at 90,000.
    assertThat(TrainScaleBenchmark.solve(point(10_000, 100), point(20_000, 200), "y", 900)).isEqualTo(90_000);
    // Quadratic: 100 at 10,000, 400 at 20,000 -> 900 at 30,000.
    assertThat(TrainScaleBenchmark.solve(point(10_000, 100), point(20_000, 400), "y", 900)).isEqualTo(30_000);
  }

  @Test
  void aFigureThatGrewLessThanLinearlyIsExtrapolatedLinearly() {
    // 100 then 120 (or even less): taken as linear from the larger point, never flatter.
    assertThat(TrainScaleBenchmark.solve(point(10_000, 100), point(20_000, 120), "y", 240)).isEqualTo(40_000);
    assertThat(TrainScaleBenchmark.solve(point(10_000, 100), point(20_000, 90), "y", 180)).isEqualTo(40_000);
  }
}
