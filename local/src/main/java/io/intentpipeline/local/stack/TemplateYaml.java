package io.intentpipeline.local.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation/SAM template into plain values (maps, lists, strings, numbers,
 * booleans) with every intrinsic function, in short-tag or long form, as an {@link Intrinsic};
 * or, for code outside the local stack, with every intrinsic in CloudFormation's long form.
 */
public final class TemplateYaml {
  private TemplateYaml() {}

  /** The template's top-level mapping; a YAML error names its line. */
  static Map<String, Object> parse(String text, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object root;
    try {
      root = new Yaml(new TagConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new TemplateException(source + " line " + line + ": " + e.getProblem(), e);
    } catch (YAMLException e) {
      throw new TemplateException(source + ": " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new TemplateException(source + ": the template must be a YAML mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> normalized = (Map<String, Object>) normalize(map);
    return normalized;
  }

  /**
   * The template's top-level mapping with every intrinsic function in CloudFormation's long form,
   * as CloudFormation reads it: {@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt A.B} is
   * {@code {"Fn::GetAtt": ["A", "B"]}}. A YAML error names its line.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> longForm(String text, String source) {
    return (Map<String, Object>) longForm(parse(text, source));
  }

  private static Object longForm(Object value) {
    if (value instanceof Intrinsic intrinsic) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put(intrinsic.function(), longForm(intrinsic.argument()));
      return map;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), longForm(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(longForm(v)));
      return copy;
    }
    return value;
  }

  /** Turns the long forms ({@code {"Ref": X}}, {@code {"Fn::GetAtt": [...]}}) into intrinsics too. */
  private static Object normalize(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        Object key = map.keySet().iterator().next();
        if (key instanceof String name && (name.equals("Ref") || name.startsWith("Fn::"))) {
          return intrinsic(name, normalize(map.get(key)));
        }
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(normalize(v)));
      return copy;
    }
    if (value instanceof Intrinsic intrinsic) {
      return intrinsic(intrinsic.function(), normalize(intrinsic.argument()));
    }
    return value;
  }

  private static Intrinsic intrinsic(String function, Object argument) {
    if (function.equals("Fn::GetAtt") && argument instanceof String dotted) {
      int dot = dotted.indexOf('.');
      if (dot <= 0 || dot == dotted.length() - 1) {
        throw new TemplateException("!GetAtt needs Resource.Attribute, got '" + dotted + "'");
      }
      return new Intrinsic(function, List.of(dotted.substring(0, dot), dotted.substring(dot + 1)));
    }
    return new Intrinsic(function, argument);
  }

  /** Safe construction (no arbitrary classes) where every unknown {@code !Tag} is an intrinsic. */
  private static final class TagConstructor extends SafeConstructor {
    TagConstructor(LoaderOptions options) {
      super(options);
      this.yamlConstructors.put(null, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String tag = node.getTag().getValue();
          if (!tag.startsWith("!")) {
            throw new YAMLException("Unsupported YAML tag " + tag + " at line " + (node.getStartMark().getLine() + 1));
          }
          Object argument;
          if (node instanceof ScalarNode scalar) {
            argument = constructScalar(scalar);
          } else if (node instanceof SequenceNode sequence) {
            argument = constructSequence(sequence);
          } else {
            argument = constructMapping((MappingNode) node);
          }
          return new Intrinsic(Intrinsic.longName(tag), argument);
        }
      });
    }
  }
}
