package io.intentpipeline.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Keeps queued messages across a restart: the embedded SQS server holds them in memory, so on
 * stop the messages still visible in each queue are written to a file of the data folder
 * ({@code queue}, {@code body} per line), and on the next start they are sent again to the
 * queue of the same logical id. Their receive counts start again from zero.
 */
final class QueueKeeper {
  private final Path file;

  QueueKeeper(Path dataDir) {
    this.file = dataDir.resolve("sqs-kept-messages.jsonl");
  }

  /** Moves what the queues hold into the file; returns how many messages per queue. */
  Map<String, Integer> keep(SqsClient sqs, Map<String, String> queueUrls) {
    Map<String, Integer> kept = new LinkedHashMap<>();
    try {
      Files.createDirectories(file.getParent());
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Map.Entry<String, String> queue : queueUrls.entrySet()) {
          int count = 0;
          while (true) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue.getValue()).maxNumberOfMessages(10)
                .waitTimeSeconds(0).visibilityTimeout(300)).messages();
            if (messages.isEmpty()) {
              break;
            }
            for (Message m : messages) {
              out.write(Json.write(Map.of("queue", queue.getKey(), "body", m.body())));
              out.newLine();
            }
            out.flush();
            count += messages.size();
            // Deleted only once written: a failure to write loses nothing more than a plain stop would.
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages) {
              entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                  .receiptHandle(m.receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(queue.getValue()).entries(entries));
          }
          if (count > 0) {
            kept.put(queue.getKey(), count);
          }
        }
      }
      if (kept.isEmpty()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      Log.error("queue_keep_failed", e);
    }
    return kept;
  }

  /** Sends the kept messages back to their queues (those of queues no longer in the template are dropped). */
  Map<String, Integer> restore(SqsClient sqs, Map<String, String> queueUrls) {
    Map<String, Integer> restored = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return restored;
    }
    Map<String, List<String>> byQueue = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = Json.MAPPER.readTree(line);
        byQueue.computeIfAbsent(node.path("queue").asText(), q -> new ArrayList<>()).add(node.path("body").asText());
      }
    } catch (IOException e) {
      Log.error("queue_restore_failed", e, "file", file.toString());
      return restored;
    }
    byQueue.forEach((queue, bodies) -> {
      String url = queueUrls.get(queue);
      if (url == null) {
        Log.warn("kept_messages_dropped", "queue", queue, "messages", bodies.size());
        return;
      }
      for (int i = 0; i < bodies.size(); i += 10) {
        List<String> chunk = bodies.subList(i, Math.min(bodies.size(), i + 10));
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int k = 0; k < chunk.size(); k++) {
          entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(k)).messageBody(chunk.get(k)).build());
        }
        int failed = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed().size();
        if (failed > 0) {
          Log.error("kept_messages_not_restored", "queue", queue, "messages", failed);
        }
      }
      restored.put(queue, bodies.size());
    });
    try {
      Files.delete(file);
    } catch (IOException e) {
      Log.warn("kept_messages_file_not_deleted", "file", file.toString());
    }
    return restored;
  }
}
