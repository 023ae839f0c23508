package io.intentpipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
  @Test
  void missingRequiredVariableFailsNamingIt() {
    Env env = Env.of(Map.of());

    assertThatThrownBy(() -> env.required("MODEL_BUCKET"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MODEL_BUCKET");
  }

  @Test
  void blankCountsAsMissing() {
    assertThat(Env.of(Map.of("X", "  ")).optional("X")).isEmpty();
  }

  @Test
  void integersAreParsedAndRangeChecked() {
    Env env = Env.of(Map.of("N", "250", "BAD", "ten"));

    assertThat(env.integer("N", 1, 1, 1000)).isEqualTo(250);
    assertThat(env.integer("UNSET", 7, 1, 10)).isEqualTo(7);
    assertThatThrownBy(() -> env.integer("N", 1, 1, 100)).hasMessageContaining("N must be between 1 and 100");
    assertThatThrownBy(() -> env.integer("BAD", 1, 1, 100)).hasMessageContaining("BAD must be an integer");
  }

  @Test
  void booleansAcceptOnlyTrueOrFalse() {
    Env env = Env.of(Map.of("A", "TRUE", "B", "yes"));

    assertThat(env.bool("A", false)).isTrue();
    assertThatThrownBy(() -> env.bool("B", false)).hasMessageContaining("B must be true or false");
  }

  @Test
  void secondsAndUrisAreChecked() {
    Env env = Env.of(Map.of("T", "60", "U", "http://127.0.0.1:9000", "V", "not a url"));

    assertThat(env.seconds("T", Duration.ZERO, 1, 3600)).isEqualTo(Duration.ofSeconds(60));
    assertThat(env.uri("U")).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9000));
    assertThatThrownBy(() -> env.uri("V")).hasMessageContaining("V must be an absolute http(s) URL");
  }
}
