package io.intentpipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.interaction.InvalidInteractionException;
import io.intentpipeline.queue.InteractionQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Records interactions: checks a whole request first (one bad interaction and nothing is sent),
 * assigns the missing ids, then sends them all to the interactions queue.
 */
public final class RecordService {
  /** A checked request, ready to send: the interactions in request order and their message bodies. */
  public record Prepared(List<Interaction> interactions, List<String> bodies) {
    public Prepared {
      interactions = List.copyOf(interactions);
      bodies = List.copyOf(bodies);
    }

    /** The interaction ids, in request order. */
    public List<String> interactionIds() {
      return interactions.stream().map(Interaction::interactionId).toList();
    }
  }

  private final InteractionReader reader;
  private final InteractionQueue queue;

  /** Checks with {@code reader} and sends to {@code queue}. */
  public RecordService(InteractionReader reader, InteractionQueue queue) {
    this.reader = reader;
    this.queue = queue;
  }

  /** Checks and encodes a request body; throws {@link InvalidInteractionException} naming the field. */
  public Prepared prepare(JsonNode body) {
    List<Interaction> interactions = reader.readRequest(body);
    boolean batch = body.has("interactions");
    List<String> bodies = new ArrayList<>(interactions.size());
    for (int i = 0; i < interactions.size(); i++) {
      Interaction interaction = interactions.get(i);
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
    return new Prepared(interactions, bodies);
  }

  /** Sends a prepared request; throws {@code QueueUnavailableException} when the queue stays unavailable. */
  public void send(Prepared prepared) {
    queue.publish(prepared.bodies());
  }
}
