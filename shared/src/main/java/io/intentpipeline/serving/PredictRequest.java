package io.intentpipeline.serving;

import io.intentpipeline.json.JsonLite;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.interaction.InvalidInteractionException;
import io.intentpipeline.interaction.TextRules;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Map;

/**
 * One prediction request: the text to classify, how many intents to list and, optionally, the
 * confidence below which not to answer ({@code min_confidence} in [0, 1], replacing the model's
 * learned threshold; NaN when not given). Built from a query string ({@code GET
 * ?text=...&top_k=n&min_confidence=x}) or a JSON body ({@code {"text": ..., "top_k": n,
 * "min_confidence": x}}), checked as the record function checks a user message; anything wrong is
 * a 400 naming the field.
 */
public record PredictRequest(String text, int topK, double minConfidence) {
  /** {@code top_k} when the request gives none. */
  public static final int DEFAULT_TOP_K = 3;
  /** Largest {@code top_k}: as many alternatives as an interaction's {@code top_intents} may hold. */
  public static final int MAX_TOP_K = InteractionReader.MAX_TOP_INTENTS;
  /** Longest text, in code points: the longest user message record accepts. */
  public static final int MAX_TEXT = InteractionReader.MAX_USER_MESSAGE;

  /** Without {@code min_confidence}. */
  public PredictRequest(String text, int topK) {
    this(text, topK, Double.NaN);
  }

  /** Checks the fields; 400 naming the field when one is wrong. */
  public PredictRequest {
    if (text == null) {
      throw new InvalidRequestException("text", "text is required: the message to classify");
    }
    try {
      TextRules.check(text, "text", MAX_TEXT);
    } catch (InvalidInteractionException e) {
      throw new InvalidRequestException(e.field(), e.getMessage());
    }
    if (text.isBlank()) {
      throw new InvalidRequestException("text", "text must not be blank");
    }
    if (topK < 1 || topK > MAX_TOP_K) {
      throw topKRange();
    }
    if (!Double.isNaN(minConfidence) && !(minConfidence >= 0 && minConfidence <= 1)) {
      throw minConfidenceRange();
    }
  }

  /** From the query string of {@code GET /ai/training/predict}; null means no query string. */
  public static PredictRequest fromQuery(Map<String, String> query) {
    if (query == null) {
      throw new InvalidRequestException("text", "text is required: GET /ai/training/predict?text=...[&top_k=n]");
    }
    String text = null;
    int topK = DEFAULT_TOP_K;
    double minConfidence = Double.NaN;
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      String name = parameter.getKey();
      if ("text".equals(name)) {
        text = parameter.getValue();
      } else if ("top_k".equals(name)) {
        topK = parseTopK(parameter.getValue());
      } else if ("min_confidence".equals(name)) {
        minConfidence = parseMinConfidence(parameter.getValue());
      } else {
        throw unknown(name);
      }
    }
    return new PredictRequest(text, topK, minConfidence);
  }

  /** From the JSON body of {@code POST /ai/training/predict}. */
  public static PredictRequest fromJson(String body) {
    Map<String, Object> fields = JsonLite.parseObject(body);
    Object text = null;
    int topK = DEFAULT_TOP_K;
    double minConfidence = Double.NaN;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String name = field.getKey();
      Object value = field.getValue();
      if ("text".equals(name)) {
        text = value;
      } else if ("top_k".equals(name)) {
        if (value != null) {
          if (!(value instanceof Long n)) {
            throw topKRange();
          }
          topK = n < 1 || n > MAX_TOP_K ? 0 : n.intValue();
        }
      } else if ("min_confidence".equals(name)) {
        if (value != null) {
          if (!(value instanceof Number n)) {
            throw minConfidenceRange();
          }
          minConfidence = n.doubleValue();
          if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw minConfidenceRange();
          }
        }
      } else {
        throw unknown(name);
      }
    }
    if (text != null && !(text instanceof String)) {
      throw new InvalidRequestException("text", "text must be a string");
    }
    return new PredictRequest((String) text, topK, minConfidence);
  }

  private static double parseMinConfidence(String raw) {
    if (raw == null || raw.isBlank()) {
      return Double.NaN;
    }
    String s = raw.trim();
    if (s.length() > 20) {
      throw minConfidenceRange();
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        throw minConfidenceRange();
      }
    }
    double value;
    try {
      value = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw minConfidenceRange();
    }
    if (!(value >= 0 && value <= 1)) {
      throw minConfidenceRange();
    }
    return value;
  }

  private static InvalidRequestException minConfidenceRange() {
    return new InvalidRequestException("min_confidence", "min_confidence must be a number from 0 to 1");
  }

  private static int parseTopK(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_TOP_K;
    }
    String s = raw.trim();
    if (s.length() > 9) {
      throw topKRange();
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw topKRange();
      }
    }
    return Integer.parseInt(s);
  }

  private static InvalidRequestException topKRange() {
    return new InvalidRequestException("top_k", "top_k must be an integer from 1 to " + MAX_TOP_K);
  }

  private static InvalidRequestException unknown(String name) {
    return new InvalidRequestException(name, "Unknown field '" + name + "'; this route accepts: text, top_k, min_confidence");
  }
}
