package io.intentpipeline.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the local stack learns from {@code template.yaml}: the functions (handler class,
 * timeout, memory, environment), their HTTP API routes, SQS event sources and schedules, the
 * queues (with their redrive policy) and the buckets. Values may still hold {@link Intrinsic}s,
 * resolved by {@link Resolver} once the local resources exist.
 *
 * <p>Event sources the stack does not emulate (S3 notifications, REST APIs, ...) are listed in
 * {@link #warnings()} instead of failing the whole stack.
 */
final class StackTemplate {
  /** A template parameter and its default, if any. */
  record Parameter(String name, Optional<String> defaultValue) {}

  /** A Lambda function: {@code handlerClass::handlerMethod}, limits and raw environment. */
  record FunctionSpec(String logicalId, String functionName, String handlerClass, String handlerMethod,
                      int timeoutSeconds, int memoryMb, Map<String, Object> environment,
                      Optional<Integer> reservedConcurrency) {}

  /**
   * An HTTP API route ({@code $default} has method and path {@code $default}); API Gateway stops
   * waiting for the function after {@code integrationTimeout} (TimeoutInMillis, at most 30 s).
   */
  record HttpRoute(String method, String path, String functionId, String eventName, Duration integrationTimeout) {
    static final Duration MAX_INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

    HttpRoute(String method, String path, String functionId, String eventName) {
      this(method, path, functionId, eventName, MAX_INTEGRATION_TIMEOUT);
    }

    String routeKey() {
      return path.equals("$default") ? "$default" : method + " " + path;
    }
  }

  /**
   * An SQS event source mapping; {@code maximumConcurrency} is its ScalingConfig's
   * MaximumConcurrency as written (a number or an intrinsic such as {@code !Ref}), empty without one.
   */
  record SqsSource(String functionId, String name, String queueId, int batchSize, Duration batchingWindow,
                   boolean reportBatchItemFailures, boolean enabled, Optional<Object> maximumConcurrency) {}

  /** A queue with its properties; {@code deadLetterQueueId} set when a redrive policy names one. */
  record QueueSpec(String logicalId, Optional<Object> queueName, Map<String, Object> properties,
                   Optional<String> deadLetterQueueId, int maxReceiveCount) {}

  /** A bucket; its name is the BucketName property or derived from the logical id. */
  record BucketSpec(String logicalId, Optional<Object> bucketName) {}

  /** How a schedule builds the function's input from the scheduled event. */
  record Input(Kind kind, Object constant, String path, Map<String, String> pathsMap, String template) {
    enum Kind { EVENT, CONSTANT, PATH, TRANSFORMER }

    static Input event() {
      return new Input(Kind.EVENT, null, null, Map.of(), null);
    }
  }

  /** A schedule (EventBridge rule, Scheduler schedule or SAM Schedule event) that invokes a function. */
  record ScheduleSpec(String name, Object expression, String functionId, Input input, boolean enabled,
                      boolean schedulerPayload) {}

  private final Map<String, Parameter> parameters;
  private final Map<String, String> resourceTypes;
  private final Map<String, FunctionSpec> functions;
  private final Map<String, QueueSpec> queues;
  private final Map<String, BucketSpec> buckets;
  private final List<HttpRoute> routes;
  private final List<SqsSource> sqsSources;
  private final List<ScheduleSpec> schedules;
  private final List<String> warnings;

  private StackTemplate(Builder b) {
    this.parameters = Collections.unmodifiableMap(b.parameters);
    this.resourceTypes = Collections.unmodifiableMap(b.resourceTypes);
    this.functions = Collections.unmodifiableMap(b.functions);
    this.queues = Collections.unmodifiableMap(b.queues);
    this.buckets = Collections.unmodifiableMap(b.buckets);
    this.routes = List.copyOf(b.routes);
    this.sqsSources = List.copyOf(b.sqsSources);
    this.schedules = List.copyOf(b.schedules);
    this.warnings = List.copyOf(b.warnings);
  }

  /** Reads and checks {@code file}; a {@link TemplateException} names what is wrong and where. */
  static StackTemplate read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new TemplateException("Cannot read the template " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.getFileName().toString());
  }

  /** Parses template {@code text}; {@code source} names it in errors. */
  static StackTemplate parse(String text, String source) {
    return new Builder(TemplateYaml.parse(text, source)).build();
  }

  Map<String, Parameter> parameters() {
    return parameters;
  }

  /** The type of resource {@code logicalId}, if the template declares it. */
  Optional<String> resourceType(String logicalId) {
    return Optional.ofNullable(resourceTypes.get(logicalId));
  }

  Map<String, FunctionSpec> functions() {
    return functions;
  }

  Map<String, QueueSpec> queues() {
    return queues;
  }

  Map<String, BucketSpec> buckets() {
    return buckets;
  }

  List<HttpRoute> routes() {
    return routes;
  }

  List<SqsSource> sqsSources() {
    return sqsSources;
  }

  List<ScheduleSpec> schedules() {
    return schedules;
  }

  /** What the template declares that the local stack does not emulate. */
  List<String> warnings() {
    return warnings;
  }

  /** Reads the raw template into the model above. */
  private static final class Builder {
    private final Map<String, Object> root;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, String> resourceTypes = new LinkedHashMap<>();
    private final Map<String, FunctionSpec> functions = new LinkedHashMap<>();
    private final Map<String, QueueSpec> queues = new LinkedHashMap<>();
    private final Map<String, BucketSpec> buckets = new LinkedHashMap<>();
    private final List<HttpRoute> routes = new ArrayList<>();
    /** The API each route is declared on (its ApiId, as written), by route. */
    private final Map<HttpRoute, String> routeApis = new java.util.IdentityHashMap<>();
    private final List<SqsSource> sqsSources = new ArrayList<>();
    private final List<ScheduleSpec> schedules = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    Builder(Map<String, Object> root) {
      this.root = root;
    }

    StackTemplate build() {
      map(root.get("Parameters"), "Parameters").forEach((name, value) -> {
        Object def = map(value, "Parameters." + name).get("Default");
        parameters.put(name, new Parameter(name, Optional.ofNullable(def).map(StackTemplate::scalarText)));
      });
      Map<String, Object> globals = map(map(root.get("Globals"), "Globals").get("Function"), "Globals.Function");
      Map<String, Object> resources = map(root.get("Resources"), "Resources");
      if (resources.isEmpty()) {
        throw new TemplateException("The template has no Resources");
      }
      resources.forEach((id, value) -> {
        Map<String, Object> resource = map(value, "Resources." + id);
        Object type = resource.get("Type");
        if (!(type instanceof String typeName)) {
          throw new TemplateException("Resources." + id + ".Type is missing");
        }
        resourceTypes.put(id, typeName);
      });
      resources.forEach((id, value) -> {
        Map<String, Object> resource = map(value, "Resources." + id);
        String where = "Resources." + id + ".Properties";
        Map<String, Object> props = map(resource.get("Properties"), where);
        switch (resourceTypes.get(id)) {
          case "AWS::Serverless::Function", "AWS::Lambda::Function" -> function(id, props, globals, where);
          case "AWS::SQS::Queue" -> queue(id, props, where);
          case "AWS::S3::Bucket" -> buckets.put(id, new BucketSpec(id, Optional.ofNullable(props.get("BucketName"))));
          case "AWS::Events::Rule" -> rule(id, props, where);
          case "AWS::Scheduler::Schedule" -> schedulerSchedule(id, props, where);
          case "AWS::Lambda::EventSourceMapping" -> eventSourceMapping(id, props, where);
          default -> { }
        }
      });
      // Event sources are checked once every function and queue is known.
      for (SqsSource source : sqsSources) {
        if (!functions.containsKey(source.functionId())) {
          throw new TemplateException("Event source " + source.name() + " names " + source.functionId()
              + ", which is not a function of the template");
        }
        if (!queues.containsKey(source.queueId())) {
          throw new TemplateException("Event source " + source.name() + " names " + source.queueId()
              + ", which is not a queue (AWS::SQS::Queue) of the template");
        }
      }
      checkRoutes();
      return new StackTemplate(this);
    }

    private void function(String id, Map<String, Object> props, Map<String, Object> globals, String where) {
      Object handler = props.getOrDefault("Handler", globals.get("Handler"));
      if (!(handler instanceof String text) || text.isBlank()) {
        throw new TemplateException(where + ".Handler is missing");
      }
      int sep = text.indexOf("::");
      String className = sep < 0 ? text : text.substring(0, sep);
      String method = sep < 0 ? "handleRequest" : text.substring(sep + 2);
      int timeout = integer(props.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3)), where + ".Timeout", 1, 900);
      int memory = integer(props.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128)),
          where + ".MemorySize", 128, 10240);
      Map<String, Object> env = new LinkedHashMap<>(
          map(map(globals.get("Environment"), "Globals.Function.Environment").get("Variables"),
              "Globals.Function.Environment.Variables"));
      env.putAll(map(map(props.get("Environment"), where + ".Environment").get("Variables"),
          where + ".Environment.Variables"));
      Optional<Integer> reserved = props.containsKey("ReservedConcurrentExecutions")
          ? Optional.of(integer(props.get("ReservedConcurrentExecutions"), where + ".ReservedConcurrentExecutions", 0, 10000))
          : Optional.empty();
      String name = props.get("FunctionName") instanceof String fn ? fn : id;
      functions.put(id, new FunctionSpec(id, name, className, method, timeout, memory, env, reserved));
      map(props.get("Events"), where + ".Events").forEach((eventName, value) ->
          functionEvent(id, eventName, map(value, where + ".Events." + eventName), where + ".Events." + eventName));
    }

    private void functionEvent(String functionId, String eventName, Map<String, Object> event, String where) {
      Object type = event.get("Type");
      Map<String, Object> props = map(event.get("Properties"), where + ".Properties");
      String p = where + ".Properties";
      switch (String.valueOf(type)) {
        case "HttpApi" -> {
          Object version = props.get("PayloadFormatVersion");
          if (version != null && !"2.0".equals(scalarText(version))) {
            warnings.add(where + ": payload format " + scalarText(version) + " is not emulated (only 2.0); route skipped");
            return;
          }
          Object path = props.get("Path");
          Object method = props.get("Method");
          Duration timeout = Duration.ofMillis(integer(props.getOrDefault("TimeoutInMillis", 30000),
              p + ".TimeoutInMillis", 50, 30000));
          if (path == null && method == null) {
            routes.add(new HttpRoute("$default", "$default", functionId, eventName, timeout));
            return;
          }
          String pathText = string(path, p + ".Path");
          if (!pathText.startsWith("/")) {
            throw new TemplateException(p + ".Path must start with /, got '" + pathText + "'");
          }
          String methodText = method == null ? "ANY" : string(method, p + ".Method").toUpperCase(Locale.ROOT);
          HttpRoute route = new HttpRoute(methodText.equals("*") ? "ANY" : methodText, pathText, functionId, eventName,
              timeout);
          routes.add(route);
          routeApis.put(route, String.valueOf(props.get("ApiId")));
        }
        case "SQS" -> sqsSources.add(new SqsSource(functionId, functionId + "." + eventName,
            attributeTarget(props.get("Queue"), "Arn", p + ".Queue"),
            integer(props.getOrDefault("BatchSize", 10), p + ".BatchSize", 1, 10000),
            Duration.ofSeconds(integer(props.getOrDefault("MaximumBatchingWindowInSeconds", 0),
                p + ".MaximumBatchingWindowInSeconds", 0, 300)),
            list(props.get("FunctionResponseTypes"), p + ".FunctionResponseTypes").contains("ReportBatchItemFailures"),
            bool(props.getOrDefault("Enabled", true), p + ".Enabled"),
            maximumConcurrency(props.get("ScalingConfig"), p + ".ScalingConfig")));
        case "Schedule", "ScheduleV2" -> {
          boolean v2 = "ScheduleV2".equals(type);
          Object expression = props.get(v2 ? "ScheduleExpression" : "Schedule");
          if (expression == null) {
            throw new TemplateException(p + (v2 ? ".ScheduleExpression" : ".Schedule") + " is missing");
          }
          boolean enabled = props.containsKey("State")
              ? "ENABLED".equals(scalarText(props.get("State")))
              : bool(props.getOrDefault("Enabled", true), p + ".Enabled");
          Input input = props.containsKey("Input")
              ? new Input(Input.Kind.CONSTANT, props.get("Input"), null, Map.of(), null)
              : Input.event();
          String name = props.get("Name") instanceof String n ? n : functionId + eventName;
          schedules.add(new ScheduleSpec(name, expression, functionId, input, enabled, v2));
        }
        default -> warnings.add(where + ": event type " + type + " is not emulated by the local stack");
      }
    }

    private void queue(String id, Map<String, Object> props, String where) {
      Optional<String> dlq = Optional.empty();
      int maxReceive = 0;
      if (props.get("RedrivePolicy") != null) {
        Map<String, Object> redrive = map(props.get("RedrivePolicy"), where + ".RedrivePolicy");
        String target = attributeTarget(redrive.get("deadLetterTargetArn"), "Arn", where + ".RedrivePolicy.deadLetterTargetArn");
        if (!"AWS::SQS::Queue".equals(resourceTypes.get(target))) {
          throw new TemplateException(where + ".RedrivePolicy.deadLetterTargetArn names " + target + ", which is not a queue");
        }
        dlq = Optional.of(target);
        maxReceive = integer(redrive.get("maxReceiveCount"), where + ".RedrivePolicy.maxReceiveCount", 1, 1000);
      }
      queues.put(id, new QueueSpec(id, Optional.ofNullable(props.get("QueueName")), props, dlq, maxReceive));
    }

    private void rule(String id, Map<String, Object> props, String where) {
      Object expression = props.get("ScheduleExpression");
      if (expression == null) {
        return; // an event-pattern rule: not a schedule
      }
      boolean enabled = !"DISABLED".equals(scalarText(props.getOrDefault("State", "ENABLED")));
      String name = props.get("Name") instanceof String n ? n : id;
      List<Object> targets = list(props.get("Targets"), where + ".Targets");
      for (int i = 0; i < targets.size(); i++) {
        String t = where + ".Targets[" + i + "]";
        Map<String, Object> target = map(targets.get(i), t);
        String functionId = functionTarget(target.get("Arn"), t + ".Arn");
        if (functionId == null) {
          warnings.add(t + ": only Lambda function targets are emulated");
          continue;
        }
        Input input;
        if (target.get("Input") != null) {
          input = new Input(Input.Kind.CONSTANT, target.get("Input"), null, Map.of(), null);
        } else if (target.get("InputPath") != null) {
          input = new Input(Input.Kind.PATH, null, string(target.get("InputPath"), t + ".InputPath"), Map.of(), null);
        } else if (target.get("InputTransformer") != null) {
          Map<String, Object> transformer = map(target.get("InputTransformer"), t + ".InputTransformer");
          Map<String, String> paths = new LinkedHashMap<>();
          map(transformer.get("InputPathsMap"), t + ".InputTransformer.InputPathsMap")
              .forEach((k, v) -> paths.put(k, string(v, t + ".InputTransformer.InputPathsMap." + k)));
          input = new Input(Input.Kind.TRANSFORMER, null, null, paths,
              string(transformer.get("InputTemplate"), t + ".InputTransformer.InputTemplate"));
        } else {
          input = Input.event();
        }
        schedules.add(new ScheduleSpec(targets.size() == 1 ? name : name + "/" + i, expression, functionId, input,
            enabled, false));
      }
    }

    private void schedulerSchedule(String id, Map<String, Object> props, String where) {
      Map<String, Object> target = map(props.get("Target"), where + ".Target");
      String functionId = functionTarget(target.get("Arn"), where + ".Target.Arn");
      if (functionId == null) {
        warnings.add(where + ".Target: only Lambda function targets are emulated");
        return;
      }
      Input input = target.get("Input") != null
          ? new Input(Input.Kind.CONSTANT, target.get("Input"), null, Map.of(), null)
          : new Input(Input.Kind.CONSTANT, "{}", null, Map.of(), null);
      boolean enabled = !"DISABLED".equals(scalarText(props.getOrDefault("State", "ENABLED")));
      String name = props.get("Name") instanceof String n ? n : id;
      schedules.add(new ScheduleSpec(name, props.get("ScheduleExpression"), functionId, input, enabled, true));
    }

    private void eventSourceMapping(String id, Map<String, Object> props, String where) {
      Object function = props.get("FunctionName");
      String functionId = function instanceof Intrinsic ref && ref.function().equals("Ref")
          ? String.valueOf(ref.argument()) : null;
      if (functionId == null) {
        throw new TemplateException(where + ".FunctionName must be !Ref <Function>");
      }
      Object source = props.get("EventSourceArn");
      String queueId = attributeTarget(source, "Arn", where + ".EventSourceArn");
      if (!"AWS::SQS::Queue".equals(resourceTypes.get(queueId))) {
        warnings.add(where + ": only SQS event sources are emulated");
        return;
      }
      sqsSources.add(new SqsSource(functionId, id, queueId,
          integer(props.getOrDefault("BatchSize", 10), where + ".BatchSize", 1, 10000),
          Duration.ofSeconds(integer(props.getOrDefault("MaximumBatchingWindowInSeconds", 0),
              where + ".MaximumBatchingWindowInSeconds", 0, 300)),
          list(props.get("FunctionResponseTypes"), where + ".FunctionResponseTypes").contains("ReportBatchItemFailures"),
          bool(props.getOrDefault("Enabled", true), where + ".Enabled"),
          maximumConcurrency(props.get("ScalingConfig"), where + ".ScalingConfig")));
    }

    /** ScalingConfig.MaximumConcurrency of an SQS mapping, as written; empty without one. */
    private Optional<Object> maximumConcurrency(Object scalingConfig, String where) {
      if (scalingConfig == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(map(scalingConfig, where).get("MaximumConcurrency"));
    }

    /** The function a target ARN names ({@code !GetAtt F.Arn}), null for a non-function resource. */
    private String functionTarget(Object arn, String where) {
      String id = attributeTarget(arn, "Arn", where);
      String type = resourceTypes.get(id);
      return "AWS::Serverless::Function".equals(type) || "AWS::Lambda::Function".equals(type) ? id : null;
    }

    /** The resource of {@code !GetAtt Resource.<attribute>}; anything else is an error naming {@code where}. */
    private String attributeTarget(Object value, String attribute, String where) {
      if (value instanceof Intrinsic intrinsic && intrinsic.function().equals("Fn::GetAtt")
          && intrinsic.argument() instanceof List<?> parts && parts.size() == 2
          && attribute.equals(String.valueOf(parts.get(1)))) {
        String id = String.valueOf(parts.get(0));
        if (!resourceTypes.containsKey(id)) {
          throw new TemplateException(where + " names " + id + ", which is not a resource of the template");
        }
        return id;
      }
      throw new TemplateException(where + " must be !GetAtt <Resource>." + attribute
          + " (the local stack serves only resources of the template)");
    }

    private void checkRoutes() {
      Map<String, HttpRoute> byKey = new LinkedHashMap<>();
      for (HttpRoute route : new ArrayList<>(routes)) {
        HttpRoute previous = byKey.putIfAbsent(route.routeKey(), route);
        if (previous != null && previous.functionId().equals(route.functionId())
            && !routeApis.get(previous).equals(routeApis.get(route))) {
          // The same route of the same function on a second API (the admin console's AdminApi):
          // one port here, so one route.
          routes.remove(route);
        } else if (previous != null) {
          throw new TemplateException("Route " + route.routeKey() + " is declared twice: by "
              + previous.functionId() + "." + previous.eventName() + " and " + route.functionId() + "." + route.eventName());
        }
      }
    }
  }

  static String scalarText(Object value) {
    return value instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new TemplateException(where + " must be a mapping");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new TemplateException(where + " must be a list");
  }

  private static String string(Object value, String where) {
    if (value instanceof String s) {
      return s;
    }
    throw new TemplateException(where + " must be a string" + (value instanceof Intrinsic
        ? " (intrinsic functions are not supported here by the local stack)" : ""));
  }

  private static int integer(Object value, String where, int min, int max) {
    long number;
    if (value instanceof Integer || value instanceof Long) {
      number = ((Number) value).longValue();
    } else if (value instanceof String s && s.strip().matches("-?\\d{1,9}")) {
      number = Long.parseLong(s.strip());
    } else {
      throw new TemplateException(where + " must be a whole number, got " + value
          + (value instanceof Intrinsic ? " (the local stack needs a literal here)" : ""));
    }
    if (number < min || number > max) {
      throw new TemplateException(where + " must be between " + min + " and " + max + ", got " + number);
    }
    return (int) number;
  }

  private static boolean bool(Object value, String where) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new TemplateException(where + " must be true or false, got " + value);
  }
}
