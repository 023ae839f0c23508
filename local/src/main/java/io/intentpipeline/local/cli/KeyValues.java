package io.intentpipeline.local.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code NAME=VALUE} options into a map; a malformed one is a usage error naming the option. */
final class KeyValues {
  private KeyValues() {}

  static Map<String, String> parse(CommandSpec spec, String option, List<String> items) {
    Map<String, String> values = new LinkedHashMap<>();
    if (items == null) {
      return values;
    }
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), option + " takes NAME=VALUE, got '" + item + "'");
      }
      values.put(item.substring(0, eq), item.substring(eq + 1));
    }
    return values;
  }
}
