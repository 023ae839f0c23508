package io.intentpipeline.local.deploy;

import io.intentpipeline.local.stack.TemplateYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml as CloudFormation reads it: the short tags ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub}, {@code !If}, ...) become their long forms ({@code {"Ref": "X"}},
 * {@code {"Fn::GetAtt": ["A", "B"]}}, ...), and SAM's Globals are merged into each function.
 */
final class SamTemplate {
  private final Map<String, Object> root;

  private SamTemplate(Map<String, Object> root) {
    this.root = root;
  }

  /** Reads {@code path}, with the local stack's reader of templates. */
  static SamTemplate read(Path path) throws IOException {
    return new SamTemplate(TemplateYaml.longForm(Files.readString(path, StandardCharsets.UTF_8), path.toString()));
  }

  Map<String, Object> root() {
    return root;
  }

  Map<String, Object> resources() {
    return map(root.get("Resources"));
  }

  Map<String, Object> parameters() {
    return map(root.get("Parameters"));
  }

  /** The resource {@code logicalId}; fails when there is none. */
  Map<String, Object> resource(String logicalId) {
    Map<String, Object> resource = map(resources().get(logicalId));
    if (resource.isEmpty()) {
      throw new AssertionError("template.yaml has no resource " + logicalId);
    }
    return resource;
  }

  static Map<String, Object> properties(Map<String, Object> resource) {
    return map(resource.get("Properties"));
  }

  /** The logical ids of the resources of {@code type}, in template order. */
  List<String> ofType(String type) {
    List<String> ids = new ArrayList<>();
    resources().forEach((id, r) -> {
      if (type.equals(map(r).get("Type"))) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** Each function's properties with the Globals' Function section under them (the function's own win). */
  Map<String, Map<String, Object>> functions() {
    Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
    Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
    for (String id : ofType("AWS::Serverless::Function")) {
      Map<String, Object> merged = new LinkedHashMap<>(globals);
      merged.putAll(properties(resource(id)));
      functions.put(id, merged);
    }
    return functions;
  }

  /** An HTTP route of a function: its method and path, the API it is on, its own Auth (if any). */
  record Route(String function, String event, String method, String path, Object apiId, Map<String, Object> auth) {
    String key() {
      return method + " " + path;
    }
  }

  List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    functions().forEach((id, props) -> map(props.get("Events")).forEach((name, raw) -> {
      Map<String, Object> event = map(raw);
      if ("HttpApi".equals(event.get("Type"))) {
        Map<String, Object> p = map(event.get("Properties"));
        routes.add(new Route(id, name, String.valueOf(p.get("Method")).toUpperCase(java.util.Locale.ROOT),
            String.valueOf(p.get("Path")), p.get("ApiId"), map(p.get("Auth"))));
      }
    }));
    return routes;
  }

  /** An SQS event source of a function. */
  record QueueSource(String function, String queue, Map<String, Object> properties) {}

  List<QueueSource> queueSources() {
    List<QueueSource> sources = new ArrayList<>();
    functions().forEach((id, props) -> map(props.get("Events")).forEach((name, raw) -> {
      Map<String, Object> event = map(raw);
      if ("SQS".equals(event.get("Type"))) {
        Map<String, Object> p = map(event.get("Properties"));
        sources.add(new QueueSource(id, logicalId(p.get("Queue")), p));
      }
    }));
    return sources;
  }

  /**
   * The resource (or parameter) a reference points at: {@code !Ref X} and {@code !GetAtt X.Arn}
   * give X; {@code !Sub '${X.Arn}/models/*'} gives {@code X/models/*}; a plain string is itself.
   */
  static String logicalId(Object reference) {
    if (reference instanceof String s) {
      return s;
    }
    Map<String, Object> m = map(reference);
    if (m.containsKey("Ref")) {
      return String.valueOf(m.get("Ref"));
    }
    if (m.containsKey("Fn::GetAtt")) {
      return String.valueOf(((List<?>) m.get("Fn::GetAtt")).get(0));
    }
    if (m.get("Fn::Sub") instanceof String sub) {
      Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z]+)?}").matcher(sub);
      return matcher.replaceAll("$1");
    }
    throw new AssertionError("Not a reference: " + reference);
  }

  /**
   * {@code value} with {@code !If [condition, a, b]} taken as {@code a} when it is not
   * {@code AWS::NoValue}: what the template gives when the condition holds.
   */
  static Optional<Object> whenTrue(Object value) {
    Map<String, Object> m = value instanceof Map<?, ?> ? map(value) : Map.of();
    if (m.containsKey("Fn::If")) {
      Object chosen = ((List<?>) m.get("Fn::If")).get(1);
      return isNoValue(chosen) ? Optional.empty() : Optional.of(chosen);
    }
    return isNoValue(value) ? Optional.empty() : Optional.of(value);
  }

  /** The condition of {@code !If [condition, ...]}, if {@code value} is one. */
  static Optional<String> condition(Object value) {
    Map<String, Object> m = value instanceof Map<?, ?> ? map(value) : Map.of();
    return m.containsKey("Fn::If") ? Optional.of(String.valueOf(((List<?>) m.get("Fn::If")).get(0))) : Optional.empty();
  }

  static boolean isNoValue(Object value) {
    return value instanceof Map<?, ?> m && "AWS::NoValue".equals(m.get("Ref"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** A single value or a list, as a list (IAM's Action and Resource take both). */
  static List<Object> list(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
  }
}
