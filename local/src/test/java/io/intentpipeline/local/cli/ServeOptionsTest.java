package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.local.stack.LocalStack;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** serve's NAME=VALUE options: repeatable, split at the first '=', a missing '=' or NAME is a usage error. */
class ServeOptionsTest {
  private static LocalStack.Options parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.options();
  }

  @Test
  void takesRepeatedNameValuePairs() {
    LocalStack.Options options = parse("--parameter", "Stage=dev", "--parameter", "Url=http://h/?a=b",
        "--env", "LOG_LEVEL=debug", "--env", "EMPTY=", "--env", "LOG_LEVEL=info");

    assertThat(options.parameters()).isEqualTo(Map.of("Stage", "dev", "Url", "http://h/?a=b"));
    assertThat(options.environment()).isEqualTo(Map.of("LOG_LEVEL", "info", "EMPTY", ""));
  }

  @Test
  void noneGivenIsEmpty() {
    LocalStack.Options options = parse();

    assertThat(options.parameters()).isEmpty();
    assertThat(options.environment()).isEmpty();
  }

  @Test
  void refusesAPairWithoutEqualsOrName() {
    assertThatThrownBy(() -> parse("--env", "LOG_LEVEL")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--env").hasMessageContaining("LOG_LEVEL");
    assertThatThrownBy(() -> parse("--parameter", "=dev")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--parameter");
  }
}
