package io.intentpipeline.local.stack;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template values to text against the local resources: {@code !Ref} of a parameter,
 * queue (its URL), bucket (its name), function (its name) or pseudo parameter; {@code !GetAtt}
 * of {@code Arn}, {@code QueueName}, {@code QueueUrl}; {@code !Sub}, {@code !Join},
 * {@code !Select}. Anything else fails naming where it was used.
 */
final class Resolver {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "000000000000";
  static final String STACK_NAME = "intent-pipeline-local";
  private static final Pattern SUB = Pattern.compile("\\$\\{([^}]*)}");

  /** A queue as created locally. */
  record QueueRef(String name, String url, String arn) {}

  private final StackTemplate template;
  private final Map<String, String> parameters;
  private final Map<String, QueueRef> queues;
  private final Map<String, String> buckets;

  Resolver(StackTemplate template, Map<String, String> parameters, Map<String, QueueRef> queues,
           Map<String, String> buckets) {
    this.template = template;
    this.parameters = parameters;
    this.queues = queues;
    this.buckets = buckets;
  }

  /** {@code value} as text; {@code where} names it in errors. */
  String text(Object value, String where) {
    if (value == null) {
      return "";
    }
    if (value instanceof Intrinsic intrinsic) {
      return intrinsic(intrinsic, where);
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw new TemplateException(where + " must be a single value, got a " + (value instanceof Map ? "mapping" : "list"));
    }
    return StackTemplate.scalarText(value);
  }

  /** The value of parameter {@code name}: the override given to the stack, else its Default. */
  String parameter(String name, String where) {
    String given = parameters.get(name);
    if (given != null) {
      return given;
    }
    StackTemplate.Parameter parameter = template.parameters().get(name);
    if (parameter == null) {
      throw new TemplateException(where + " refers to " + name + ", which is neither a parameter nor a resource");
    }
    return parameter.defaultValue().orElseThrow(() -> new TemplateException(where + " needs parameter " + name
        + ", which has no Default: give it a value (./pipeline serve --parameter " + name + "=VALUE)"));
  }

  private String intrinsic(Intrinsic intrinsic, String where) {
    Object arg = intrinsic.argument();
    switch (intrinsic.function()) {
      case "Ref" -> {
        return ref(String.valueOf(arg), where);
      }
      case "Fn::GetAtt" -> {
        List<?> parts = (List<?>) arg;
        if (parts.size() != 2) {
          throw new TemplateException(where + ": !GetAtt needs [Resource, Attribute]");
        }
        return attribute(text(parts.get(0), where), text(parts.get(1), where), where);
      }
      case "Fn::Sub" -> {
        String pattern;
        Map<?, ?> variables = Map.of();
        if (arg instanceof List<?> list && list.size() == 2 && list.get(1) instanceof Map<?, ?> vars) {
          pattern = text(list.get(0), where);
          variables = vars;
        } else {
          pattern = text(arg, where);
        }
        return substitute(pattern, variables, where);
      }
      case "Fn::Join" -> {
        if (!(arg instanceof List<?> list) || list.size() != 2 || !(list.get(1) instanceof List<?> items)) {
          throw new TemplateException(where + ": !Join needs [delimiter, [values]]");
        }
        StringBuilder joined = new StringBuilder();
        String delimiter = text(list.get(0), where);
        for (int i = 0; i < items.size(); i++) {
          joined.append(i == 0 ? "" : delimiter).append(text(items.get(i), where));
        }
        return joined.toString();
      }
      case "Fn::Select" -> {
        if (!(arg instanceof List<?> list) || list.size() != 2 || !(list.get(1) instanceof List<?> items)) {
          throw new TemplateException(where + ": !Select needs [index, [values]]");
        }
        int index = Integer.parseInt(text(list.get(0), where));
        if (index < 0 || index >= items.size()) {
          throw new TemplateException(where + ": !Select index " + index + " is out of range");
        }
        return text(items.get(index), where);
      }
      default -> throw new TemplateException(where + ": " + intrinsic.function()
          + " is not supported by the local stack (supported: Ref, GetAtt, Sub, Join, Select)");
    }
  }

  private String ref(String name, String where) {
    switch (name) {
      case "AWS::Region" -> {
        return REGION;
      }
      case "AWS::AccountId" -> {
        return ACCOUNT;
      }
      case "AWS::StackName" -> {
        return STACK_NAME;
      }
      case "AWS::Partition" -> {
        return "aws";
      }
      case "AWS::URLSuffix" -> {
        return "amazonaws.com";
      }
      default -> { }
    }
    if (queues.containsKey(name)) {
      return queues.get(name).url();
    }
    if (buckets.containsKey(name)) {
      return buckets.get(name);
    }
    if (template.functions().containsKey(name)) {
      return template.functions().get(name).functionName();
    }
    if (template.resourceType(name).isPresent()) {
      return name;
    }
    return parameter(name, where);
  }

  private String attribute(String resource, String attribute, String where) {
    QueueRef queue = queues.get(resource);
    if (queue != null) {
      return switch (attribute) {
        case "Arn" -> queue.arn();
        case "QueueName" -> queue.name();
        case "QueueUrl" -> queue.url();
        default -> throw new TemplateException(where + ": queue attribute " + attribute + " is not emulated");
      };
    }
    if (buckets.containsKey(resource) && attribute.equals("Arn")) {
      return "arn:aws:s3:::" + buckets.get(resource);
    }
    if (template.functions().containsKey(resource) && attribute.equals("Arn")) {
      return functionArn(template.functions().get(resource).functionName());
    }
    throw new TemplateException(where + ": !GetAtt " + resource + "." + attribute + " is not emulated by the local stack");
  }

  private String substitute(String pattern, Map<?, ?> variables, String where) {
    Matcher m = SUB.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.startsWith("!")) {
        value = "${" + name.substring(1) + "}";
      } else if (variables.containsKey(name)) {
        value = text(variables.get(name), where);
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        int dot = name.indexOf('.');
        value = attribute(name.substring(0, dot), name.substring(dot + 1), where);
      } else {
        value = ref(name, where);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String functionArn(String functionName) {
    return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
  }
}
