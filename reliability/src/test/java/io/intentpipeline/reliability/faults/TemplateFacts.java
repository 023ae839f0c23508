package io.intentpipeline.reliability.faults;

import io.intentpipeline.local.stack.TemplateYaml;
import io.intentpipeline.testing.Events;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * What the faults suite takes from template.yaml, so that it drives the functions with the
 * production settings: the interactions queue's redrive policy and the flush event source's
 * batch size, read with the local stack's reader of templates.
 */
final class TemplateFacts {
  /** The interactions queue's {@code maxReceiveCount} and the flush function's SQS {@code BatchSize}. */
  record Ingestion(int maxReceiveCount, int batchSize, int visibilityTimeoutSeconds) {}

  private static final Map<String, Object> INTERACTIONS_QUEUE_ARN =
      Map.of("Fn::GetAtt", List.of("InteractionsQueue", "Arn"));

  private TemplateFacts() {}

  static Ingestion ingestion() {
    Map<String, Object> resources = map(read().get("Resources"));
    Map<String, Object> queue = map(map(resources.get("InteractionsQueue")).get("Properties"));
    int maxReceiveCount = Integer.parseInt(String.valueOf(map(queue.get("RedrivePolicy")).get("maxReceiveCount")));
    int visibility = Integer.parseInt(String.valueOf(queue.get("VisibilityTimeout")));
    Integer batchSize = null;
    for (Object resource : resources.values()) {
      Map<String, Object> r = map(resource);
      if (!"AWS::Serverless::Function".equals(r.get("Type"))) {
        continue;
      }
      Object events = map(r.get("Properties")).get("Events");
      if (events == null) {
        continue;
      }
      for (Object event : map(events).values()) {
        Map<String, Object> e = map(event);
        Map<String, Object> p = map(e.get("Properties"));
        if ("SQS".equals(e.get("Type")) && INTERACTIONS_QUEUE_ARN.equals(p.get("Queue"))) {
          batchSize = Integer.parseInt(String.valueOf(p.get("BatchSize")));
        }
      }
    }
    if (batchSize == null) {
      throw new IllegalStateException("template.yaml: no function has an SQS event on InteractionsQueue");
    }
    return new Ingestion(maxReceiveCount, batchSize, visibility);
  }

  private static Map<String, Object> read() {
    var path = Events.projectRoot().resolve("template.yaml");
    try {
      return TemplateYaml.longForm(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalStateException("template.yaml: expected a mapping, got " + value);
    }
    return (Map<String, Object>) value;
  }
}
