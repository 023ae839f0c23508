package io.intentpipeline.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The metrics of one period, frozen ({@code ai_metrics_snapshots}): the period
 * [{@code periodStart}, {@code periodEnd}), its headline figures (rates in percent, null when
 * their denominator was zero), every figure in {@code metrics}, and the thresholds they cross.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Snapshot(
    UUID id,
    String periodType,
    @JsonSerialize(using = ToStringSerializer.class) Instant periodStart,
    @JsonSerialize(using = ToStringSerializer.class) Instant periodEnd,
    int totalMessages,
    int aiResolved,
    int escalated,
    BigDecimal escalationRate,
    BigDecimal avgConfidence,
    BigDecimal intentAccuracy,
    BigDecimal correctionRate,
    BigDecimal misclassificationRate,
    JsonNode metrics,
    List<Alert> alerts,
    @JsonSerialize(using = ToStringSerializer.class) Instant createdAt) {}
