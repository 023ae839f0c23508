package io.intentpipeline.metrics;

import java.math.BigDecimal;

/**
 * A monitoring threshold that is crossed: which metric, its value and its limit (in {@code unit}:
 * {@code percent} 0-100 or {@code fraction} 0..1), whether it is {@code below} or {@code above},
 * a sentence for people and what to do about it.
 */
public record Alert(String metric, BigDecimal value, BigDecimal limit, String comparison, String unit,
                    String message, String action) {}
