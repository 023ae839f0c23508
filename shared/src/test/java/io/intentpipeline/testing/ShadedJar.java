package io.intentpipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A function's deployable jar ({@code target/lambda/<name>.jar}), run as Lambda would run it: in
 * a new JVM whose class path holds that jar alone (and {@link JarInvoker}), with only the
 * function's environment variables. Proves the jar carries everything its handler loads.
 */
public final class ShadedJar {
  private final Path jar;

  private ShadedJar(Path jar) {
    this.jar = jar;
  }

  /** The jar of the module under test; skips the test when it was not packaged (run mvn verify). */
  public static ShadedJar of(String artifactId) {
    Path jar = Path.of("target", "lambda", artifactId + ".jar").toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(jar), "No " + jar + ": run mvn verify (it packages before the ITs)");
    return new ShadedJar(jar);
  }

  /** Where the jar is. */
  public Path path() {
    return jar;
  }

  /** The jar's size in bytes. */
  public long size() {
    try {
      return Files.size(jar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Invokes {@code handlerClass} (built with its no-argument constructor) on each event JSON in
   * turn, in one JVM with exactly {@code env} as its environment; returns the responses
   * ({@code "ERROR ..."} for an invocation that threw).
   */
  public List<String> invoke(String handlerClass, Map<String, String> env, List<String> events) {
    try {
      Path dir = Files.createTempDirectory("jar-invoke");
      try {
        Path invoker = Path.of(JarInvoker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xshare:auto", "-XX:TieredStopAtLevel=1",
            "-cp", jar + java.io.File.pathSeparator + invoker,
            JarInvoker.class.getName(), handlerClass));
        for (int k = 0; k < events.size(); k++) {
          Path in = dir.resolve("event-" + k + ".json");
          Files.writeString(in, events.get(k));
          command.add(in.toString());
          command.add(dir.resolve("response-" + k + ".json").toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("The function jar did not finish within 120 s");
        }
        String output = Files.readString(dir.resolve("output.log"), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
          throw new IllegalStateException("The function jar failed (exit " + process.exitValue() + "):\n" + output);
        }
        List<String> responses = new ArrayList<>();
        for (int k = 0; k < events.size(); k++) {
          Path out = dir.resolve("response-" + k + ".json");
          responses.add(Files.isRegularFile(out) ? Files.readString(out) : "MISSING\n" + output);
        }
        return responses;
      } finally {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
