package io.intentpipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.interaction.InvalidInteractionException;
import io.intentpipeline.interaction.TextRules;
import io.intentpipeline.privacy.Redaction;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.queue.InteractionQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Records interactions: checks a whole request first (one bad interaction and nothing is sent),
 * assigns the missing ids, replaces personal data with placeholders ({@link Redactor}: nothing
 * unredacted leaves the function), then sends them all to the interactions queue.
 */
public final class RecordService {
  /** A checked request, ready to send: the interactions in request order and their message bodies. */
  public record Prepared(List<Interaction> interactions, List<String> bodies) {
    public Prepared {
      interactions = List.copyOf(interactions);
      bodies = List.copyOf(bodies);
    }

    /** How many interactions had personal data replaced. */
    public int redacted() {
      return (int) interactions.stream().filter(i -> !i.redactedKinds().isEmpty()).count();
    }

    /** The interaction ids, in request order. */
    public List<String> interactionIds() {
      return interactions.stream().map(Interaction::interactionId).toList();
    }
  }

  private final InteractionReader reader;
  private final InteractionQueue queue;
  private final Redactor redactor;

  /** Checks with {@code reader}, redacts every built-in kind and sends to {@code queue}. */
  public RecordService(InteractionReader reader, InteractionQueue queue) {
    this(reader, queue, Redactor.standard());
  }

  /** Checks with {@code reader}, redacts with {@code redactor} and sends to {@code queue}. */
  public RecordService(InteractionReader reader, InteractionQueue queue, Redactor redactor) {
    this.reader = reader;
    this.queue = queue;
    this.redactor = redactor;
  }

  /** Checks and encodes a request body; throws {@link InvalidInteractionException} naming the field. */
  public Prepared prepare(JsonNode body) {
    List<Interaction> interactions = reader.readRequest(body);
    boolean batch = body.has("interactions");
    List<String> bodies = new ArrayList<>(interactions.size());
    List<Interaction> redacted = new ArrayList<>(interactions.size());
    for (int i = 0; i < interactions.size(); i++) {
      Interaction interaction = redact(interactions.get(i), batch ? "interactions[" + i + "]." : "");
      redacted.add(interaction);
      String message = InteractionMessages.encode(interaction);
      int bytes = InteractionMessages.utf8Length(message);
      if (bytes > InteractionMessages.MAX_BYTES) {
        String field = (batch ? "interactions[" + i + "]." : "")
            + (interaction.aiResponse() != null ? "ai_response" : "user_message");
        throw new InvalidInteractionException(field, "the interaction is " + bytes
            + " bytes once encoded and the queue takes at most " + InteractionMessages.MAX_BYTES
            + "; shorten " + field);
      }
      bodies.add(message);
    }
    return new Prepared(redacted, bodies);
  }

  /**
   * {@code interaction} with personal data replaced in its message and answer. An operator's
   * pattern may lengthen a text past its limit: that is refused naming the field, like any text
   * too long.
   */
  private Interaction redact(Interaction interaction, String path) {
    if (!redactor.enabled()) {
      return interaction;
    }
    Redaction message = redactor.redact(interaction.userMessage());
    Redaction answer = interaction.aiResponse() == null ? null : redactor.redact(interaction.aiResponse());
    if (!message.any() && (answer == null || !answer.any())) {
      return interaction;
    }
    List<String> kinds = message.kindsWith(answer);
    TextRules.check(message.text(), path + "user_message", InteractionReader.MAX_USER_MESSAGE);
    if (answer != null) {
      TextRules.check(answer.text(), path + "ai_response", InteractionReader.MAX_AI_RESPONSE);
    }
    return interaction.withRedacted(message.text(), answer == null ? null : answer.text(), kinds);
  }

  /** Sends a prepared request; throws {@code QueueUnavailableException} when the queue stays unavailable. */
  public void send(Prepared prepared) {
    queue.publish(prepared.bodies());
  }
}
