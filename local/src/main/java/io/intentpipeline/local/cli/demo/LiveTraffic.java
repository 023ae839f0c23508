package io.intentpipeline.local.cli.demo;

import io.intentpipeline.dataset.TrainingSample;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Turns the sample dataset into the interactions a chatbot would have sent: each message with
 * the intent the bot detected and how sure it was. The bot is right most of the time and fairly
 * sure; a share of messages it gets wrong, with low confidence, and those are what a reviewer
 * will find at the top of the review queue. Same seed, same traffic.
 */
public final class LiveTraffic {
  /** One interaction as the record API takes it, and the intent a human would say is right. */
  public record Interaction(Map<String, Object> body, String trueIntent, boolean botWasWrong) {
    /** The interaction id. */
    public String id() {
      return (String) body.get("interaction_id");
    }
  }

  private LiveTraffic() {}

  /**
   * Interactions for {@code samples} by language, spread over the {@code window} before
   * {@code now}; {@code wrongShare} of them (0..1) carry a wrong detected intent.
   */
  public static List<Interaction> of(Map<String, List<TrainingSample>> samples, double wrongShare, long seed,
                                     Instant now, Duration window) {
    Random random = new Random(seed);
    Map<String, String> responses = new TreeMap<>();
    samples.values().forEach(list -> list.forEach(s -> responses.putIfAbsent(s.intent(), s.response())));
    List<String> intents = new ArrayList<>(responses.keySet());
    List<Interaction> interactions = new ArrayList<>();
    for (Map.Entry<String, List<TrainingSample>> language : samples.entrySet()) {
      int n = 0;
      for (TrainingSample sample : language.getValue()) {
        boolean wrong = random.nextDouble() < wrongShare;
        String detected = sample.intent();
        int confidence = 55 + random.nextInt(43);
        if (wrong) {
          do {
            detected = intents.get(random.nextInt(intents.size()));
          } while (detected.equals(sample.intent()));
          confidence = 12 + random.nextInt(34);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("interaction_id", "demo-" + language.getKey() + "-" + (++n));
        body.put("user_message", sample.userMessage());
        body.put("detected_intent", detected);
        body.put("confidence_score", confidence);
        body.put("ai_response", responses.get(detected));
        body.put("escalated", detected.equals("talk_to_human") || confidence < 20);
        body.put("response_source", confidence >= 80 ? "faq" : "llm");
        body.put("category", sample.category().isEmpty() ? null : sample.category());
        body.put("occurred_at", now.minusMillis((long) (random.nextDouble() * window.toMillis()))
            .truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("source", "live");
        body.values().removeIf(java.util.Objects::isNull);
        interactions.add(new Interaction(body, sample.intent(), wrong));
      }
    }
    java.util.Collections.shuffle(interactions, random);
    return interactions;
  }
}
