package io.intentpipeline.reliability.faults;

import io.intentpipeline.testing.Events;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the faults suite takes from template.yaml, so that it drives the functions with the
 * production settings: the interactions queue's redrive policy and the flush event source's
 * batch size. CloudFormation's short tags ({@code !GetAtt X.Arn}) are read as their plain value.
 */
final class TemplateFacts {
  /** The interactions queue's {@code maxReceiveCount} and the flush function's SQS {@code BatchSize}. */
  record Ingestion(int maxReceiveCount, int batchSize, int visibilityTimeoutSeconds) {}

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
        if ("SQS".equals(e.get("Type")) && "InteractionsQueue.Arn".equals(String.valueOf(p.get("Queue")))) {
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
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return map(new Yaml(new PlainTags(new LoaderOptions())).load(in));
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

  /** Reads a node under any local tag ({@code !Ref}, {@code !GetAtt}, ...) as if it had none. */
  private static final class PlainTags extends SafeConstructor {
    PlainTags(LoaderOptions options) {
      super(options);
      yamlMultiConstructors.put("!", new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          if (node instanceof ScalarNode scalar) {
            return constructScalar(scalar);
          }
          if (node instanceof SequenceNode sequence) {
            return constructSequence(sequence);
          }
          return constructMapping((MappingNode) node);
        }
      });
    }
  }
}
