package io.intentpipeline.local.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.testing.Events;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * template.yaml through cfn-lint (AWS's CloudFormation linter, which first runs SAM's own
 * transform): what CloudFormation and SAM would refuse at deploy time, and their warnings
 * (deprecated runtimes, unused parameters, bad ARN shapes), without an AWS account. Skipped when
 * cfn-lint is not installed.
 */
class TemplateLintIT {
  @Test
  void cfnLintFindsNothing() throws Exception {
    // Arrange
    Optional<Path> lint = onPath("cfn-lint");
    Assumptions.assumeTrue(lint.isPresent(), "cfn-lint is not on the PATH: the template lint is skipped");
    Path root = Events.projectRoot();
    ProcessBuilder builder = new ProcessBuilder(lint.get().toString(), "--", "template.yaml")
        .directory(root.toFile())
        .redirectErrorStream(true);
    // The SAM transform needs a region; none of the lint's rules depends on which.
    builder.environment().putIfAbsent("AWS_DEFAULT_REGION", "us-east-1");

    // Act
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    boolean finished = process.waitFor(120, TimeUnit.SECONDS);

    // Assert
    assertThat(finished).as("cfn-lint finished within 120 s").isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(text).as("cfn-lint output").isEmpty();
    assertThat(process.exitValue()).as(text).isZero();
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
