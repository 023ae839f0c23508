package io.intentpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.testing.Events;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SQL is built only from compile-time constants, values only ever bound: every SQL sink in the
 * compiled main classes of shared and of every function gets a constant text ({@link SqlSources}
 * says how that is decided). The detector is shown to work on fixtures first.
 */
class SqlBuiltFromConstantsTest {
  /**
   * Reviewed exceptions, by class and method. Each is a pass-through whose own callers are sinks
   * that this test checks, so nothing reaches the database that was not a constant at a call site.
   */
  private static final Map<String, String> REVIEWED = Map.of(
      "io.intentpipeline.storage.SqlQuery.prepare",
      "prepares this.sql, which only the SqlQuery constructor sets; every constructor call is a checked sink",
      "io.intentpipeline.storage.SqlQuery.of",
      "passes its argument to the constructor; of(String) is itself a checked sink at its call sites",
      "io.intentpipeline.storage.SqlQuery$Builder.build",
      "the builder's text only ever grows by append(fragment, values...), a checked sink");

  @Test
  void theDetectorFlagsEveryStringBuiltStatementOfTheFixture() throws IOException {
    // Act
    List<SqlSources.Sink> sinks = SqlSources.scan(classBytes(SqlFixtures.Concatenated.class));

    // Assert: one flagged sink in each of the fixture's nine methods, nothing taken as constant.
    assertThat(sinks).allSatisfy(s -> assertThat(s.constant()).as(s.where() + " " + s.call()).isFalse());
    assertThat(sinks.stream().map(SqlSources.Sink::method).collect(Collectors.toSet())).containsExactlyInAnyOrder(
        "plusOperator", "stringBuilder", "format", "concat", "parameter", "field", "throughALocal",
        "builderFragmentFromInput", "ofInput");
    assertThat(sinks).anySatisfy(s -> assertThat(s.origin()).contains("makeConcatWithConstants"));
    assertThat(sinks).anySatisfy(s -> assertThat(s.origin()).contains("StringBuilder.toString"));
    assertThat(sinks).anySatisfy(s -> assertThat(s.origin()).contains("String.format"));
    assertThat(sinks).anySatisfy(s -> assertThat(s.origin()).contains("String.concat"));
  }

  @Test
  void theDetectorPassesConstantStatementsOfTheFixture() throws IOException {
    // Act
    List<SqlSources.Sink> sinks = SqlSources.scan(classBytes(SqlFixtures.Constant.class));

    // Assert
    assertThat(sinks).allSatisfy(s -> assertThat(s.constant()).as(s.where() + " " + s.call() + " from " + s.origin())
        .isTrue());
    assertThat(sinks.stream().map(SqlSources.Sink::method).collect(Collectors.toSet())).containsExactlyInAnyOrder(
        "literal", "foldedConstant", "textBlock", "ternaryOfConstants", "constantLocal", "builderWithBoundValues");
  }

  @Test
  void everySqlStatementOfSharedAndTheFunctionsIsAConstant() throws IOException {
    // Arrange
    Path root = Events.projectRoot();
    List<Path> dirs = new ArrayList<>();
    dirs.add(root.resolve("shared/target/classes"));
    try (Stream<Path> functions = Files.list(root.resolve("functions"))) {
      functions.filter(Files::isDirectory).sorted().forEach(f -> dirs.add(f.resolve("target/classes")));
    }

    // Act
    List<SqlSources.Sink> sinks = new ArrayList<>();
    for (Path dir : dirs) {
      assertThat(dir).as("compiled classes (build with -am)").isDirectory();
      sinks.addAll(SqlSources.scan(dir));
    }
    List<String> flagged = sinks.stream()
        .filter(s -> !s.constant())
        .filter(s -> !REVIEWED.containsKey(s.className().replace('/', '.') + "." + s.method()))
        .map(s -> s.where() + ": " + s.call() + " gets SQL from " + s.origin())
        .toList();
    Set<String> reviewedSeen = sinks.stream().filter(s -> !s.constant())
        .map(s -> s.className().replace('/', '.') + "." + s.method())
        .filter(REVIEWED::containsKey).collect(Collectors.toSet());

    // Assert
    System.out.printf("security sql: %d SQL sinks in %d class folders, %d constant, %d reviewed pass-throughs %s,"
            + " %d string-built%n", sinks.size(), dirs.size(), sinks.stream().filter(SqlSources.Sink::constant).count(),
        reviewedSeen.size(), reviewedSeen, flagged.size());
    assertThat(sinks.size()).as("the scan found the project's SQL").isGreaterThan(30);
    assertThat(flagged).as("SQL built from something other than constants").isEmpty();
    assertThat(reviewedSeen).as("an allowlist entry that no longer applies should go").isEqualTo(REVIEWED.keySet());
  }

  static byte[] classBytes(Class<?> type) throws IOException {
    String name = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
