package io.intentpipeline.serving;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.json.JsonNumbers;
import io.intentpipeline.json.JsonStrings;
import io.intentpipeline.ml.Prediction;
import java.util.List;

/**
 * Writes the predict route's JSON by hand: one small fixed shape, cheaper to write directly than
 * to load and warm a JSON library on a cold start.
 */
public final class PredictionJson {
  private PredictionJson() {}

  /**
   * {@code {"intent", "confidence", "top_intents": [{"intent", "confidence"}...], "action",
   * "clarify_intents"? [a, b], "model_version"}}, confidences in [0, 1]; {@code clarify_intents}
   * only when the action is {@code clarify}.
   */
  public static String write(Prediction prediction, String modelVersion) {
    List<Prediction.IntentScore> top = prediction.topIntents();
    StringBuilder out = new StringBuilder(96 + 56 * top.size());
    out.append("{\"intent\":");
    string(out, prediction.intent());
    out.append(",\"confidence\":").append(JsonNumbers.plain(prediction.confidence()));
    out.append(",\"top_intents\":[");
    for (int i = 0; i < top.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"intent\":");
      string(out, top.get(i).intent());
      out.append(",\"confidence\":").append(JsonNumbers.plain(top.get(i).confidence()));
      out.append('}');
    }
    out.append("],\"action\":\"").append(prediction.action().json()).append('"');
    List<String> clarify = prediction.clarifyIntents();
    if (clarify != null) {
      out.append(",\"clarify_intents\":[");
      for (int i = 0; i < clarify.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(out, clarify.get(i));
      }
      out.append(']');
    }
    out.append(",\"model_version\":");
    string(out, modelVersion);
    return out.append('}').toString();
  }

  /** The error body every route uses: {@code {"error": {"code", "message", "field"?}}}. */
  public static String error(ApiException e) {
    StringBuilder out = new StringBuilder(128);
    out.append("{\"error\":{\"code\":");
    string(out, e.code());
    out.append(",\"message\":");
    string(out, e.getMessage());
    if (e.field().isPresent()) {
      out.append(",\"field\":");
      string(out, e.field().get());
    }
    return out.append("}}").toString();
  }

  private static void string(StringBuilder out, String s) {
    JsonStrings.quote(out, s);
  }
}
