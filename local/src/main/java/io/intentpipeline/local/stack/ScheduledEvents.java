package io.intentpipeline.local.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payload a schedule delivers: the EventBridge "Scheduled Event", or what the target makes
 * of it ({@code Input} constant, {@code InputPath}, {@code InputTransformer}).
 */
final class ScheduledEvents {
  private static final Pattern PATH_STEP = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+)]|\\['([^']+)']");

  private ScheduledEvents() {}

  /** The event EventBridge sends when rule {@code ruleName} fires at {@code time}. */
  static ObjectNode event(String ruleName, Instant time) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", Resolver.ACCOUNT);
    event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", Resolver.REGION);
    event.putArray("resources").add(ruleArn(ruleName));
    event.putObject("detail");
    return event;
  }

  static String ruleArn(String ruleName) {
    return "arn:aws:events:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":rule/" + ruleName;
  }

  /** The invocation payload of schedule {@code spec} firing at {@code time}, as JSON text. */
  static String payload(StackTemplate.ScheduleSpec spec, Instant time) {
    ObjectNode event = event(spec.name(), time);
    StackTemplate.Input input = spec.input();
    return switch (input.kind()) {
      case EVENT -> Json.write(event);
      case CONSTANT -> constant(spec.name(), input.constant());
      case PATH -> Json.write(path(event, input.path(), spec.name()));
      case TRANSFORMER -> transform(spec.name(), event, input.pathsMap(), input.template());
    };
  }

  private static String constant(String name, Object constant) {
    if (constant instanceof String text) {
      try {
        return Json.write(Json.MAPPER.readTree(text));
      } catch (JsonProcessingException e) {
        throw new TemplateException("Schedule " + name + ": Input is not valid JSON: " + e.getOriginalMessage());
      }
    }
    return Json.write(Json.MAPPER.valueToTree(constant));
  }

  /** A JSONPath of the simple kind EventBridge accepts: {@code $}, {@code $.a.b}, {@code $.a[0]}. */
  static JsonNode path(JsonNode root, String path, String name) {
    if (!path.startsWith("$")) {
      throw new TemplateException("Schedule " + name + ": JSON path '" + path + "' must start with $");
    }
    JsonNode node = root;
    Matcher m = PATH_STEP.matcher(path);
    int at = 1;
    while (at < path.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new TemplateException("Schedule " + name + ": unsupported JSON path '" + path + "'");
      }
      if (m.group(2) != null) {
        node = node.path(Integer.parseInt(m.group(2)));
      } else {
        node = node.path(m.group(1) != null ? m.group(1) : m.group(3));
      }
      at = m.end();
    }
    return node;
  }

  /**
   * Fills an InputTemplate: a placeholder inside a JSON string takes the value's text, one outside
   * takes its JSON (a string then arrives quoted), as EventBridge does.
   */
  static String transform(String name, ObjectNode event, Map<String, String> paths, String template) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && inString && i + 1 < template.length()) {
        out.append(c).append(template.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
      }
      if (c == '<') {
        int close = template.indexOf('>', i);
        String key = close < 0 ? null : template.substring(i + 1, close);
        JsonNode value = key == null ? null : placeholder(key, event, paths, name);
        if (value != null) {
          if (inString) {
            String text = value.isTextual() ? value.textValue() : Json.write(value);
            String quoted = Json.write(Json.MAPPER.getNodeFactory().textNode(text));
            out.append(quoted, 1, quoted.length() - 1);
          } else {
            out.append(Json.write(value));
          }
          i = close;
          continue;
        }
      }
      out.append(c);
    }
    String result = out.toString();
    try {
      return Json.write(Json.MAPPER.readTree(result));
    } catch (JsonProcessingException e) {
      throw new TemplateException("Schedule " + name + ": the InputTemplate does not give valid JSON: "
          + e.getOriginalMessage());
    }
  }

  private static JsonNode placeholder(String key, ObjectNode event, Map<String, String> paths, String name) {
    if (paths.containsKey(key)) {
      JsonNode value = path(event, paths.get(key), name);
      return value.isMissingNode() ? Json.MAPPER.nullNode() : value;
    }
    var nodes = Json.MAPPER.getNodeFactory();
    return switch (key) {
      case "aws.events.rule-arn" -> nodes.textNode(event.path("resources").path(0).asText());
      case "aws.events.rule-name" -> nodes.textNode(name);
      case "aws.events.event.ingestion-time" -> nodes.textNode(event.path("time").asText());
      case "aws.events.event", "aws.events.event.json" -> event;
      default -> null;
    };
  }
}
