package io.intentpipeline.ml;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a prediction advises the orchestrator to do (docs/ANSWER_ACTIONS.md): {@code answer} with
 * the intent, {@code clarify} by asking which of the two named intents the user meant, or
 * {@code escalate} to a human (the model is not confident enough, or the message is out of scope).
 */
public enum Action {
  ANSWER("answer"),
  CLARIFY("clarify"),
  ESCALATE("escalate");

  private final String json;

  Action(String json) {
    this.json = json;
  }

  /** Its name in JSON: {@code answer}, {@code clarify} or {@code escalate}. */
  @JsonValue
  public String json() {
    return json;
  }
}
