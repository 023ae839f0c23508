package io.intentpipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.JarInvoker;
import io.intentpipeline.testing.ShadedJar;
import io.intentpipeline.testing.TestStack;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The deployable jar alone, in a fresh JVM with the flags of Lambda's Java runtime and only the
 * function's environment: it loads the model from S3 at construction, answers the event samples,
 * and never loads a JSON library, the S3 client, liblinear or a JDBC driver.
 */
class PredictJarIT {
  private static final String A = "2026-11-20T02:00:00Z";
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("predictjar");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void theShadedJarAnswersTheSamplesWithNothingElseOnItsClassPath() throws Exception {
    // Arrange
    ShadedJar jar = ShadedJar.of("predict-function");
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key(S3ModelObject.LATEST_KEY),
        RequestBody.fromBytes(TestModels.model(A)));
    Path dir = Files.createTempDirectory("predict-jar");
    List<String> files = List.of("predict-get.json", "predict-get.invalid.json", "predict-post.json",
        "predict-post.invalid.json");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx217m",
        "-Xlog:class+load=info:file=" + dir.resolve("classes.log"),
        "-cp", String.join(File.pathSeparator, jar.path().toString(), location(JarInvoker.class)),
        JarInvoker.class.getName(), PredictHandler.class.getName()));
    for (int k = 0; k < files.size(); k++) {
      command.add(Events.projectRoot().resolve("events").resolve(files.get(k)).toString());
      command.add(dir.resolve("response-" + k + ".json").toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(Map.of("MODEL_BUCKET", stack.bucket()));
    stack.envVars().forEach((name, value) -> {
      if (name.startsWith("AWS_")) {
        builder.environment().put(name, value);
      }
    });

    // Act
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    // Assert
    String output = Files.readString(dir.resolve("output.log"));
    assertThat(process.exitValue()).as(output).isZero();
    List<JsonNode> responses = new ArrayList<>();
    for (int k = 0; k < files.size(); k++) {
      String response = Files.readString(dir.resolve("response-" + k + ".json"));
      assertThat(response).as(output).doesNotStartWith("ERROR");
      responses.add(Json.MAPPER.readTree(response));
    }
    assertThat(responses).extracting(r -> r.get("statusCode").asInt()).containsExactly(200, 400, 200, 400);
    JsonNode answer = Json.MAPPER.readTree(responses.get(0).get("body").asText());
    assertThat(answer.get("intent").asText()).isEqualTo("card_arrival");
    assertThat(answer.get("model_version").asText()).isEqualTo(TestModels.version(A));
    assertThat(output).contains("\"model_loaded\"").doesNotContain("hasn't arrived");

    String loaded = Files.readString(dir.resolve("classes.log"), StandardCharsets.UTF_8);
    assertThat(loaded).contains("io.intentpipeline.predict.PredictHandler ");
    assertThat(loaded).as("no JSON library, S3 client, event classes, liblinear or JDBC driver loaded")
        .doesNotContain("com.fasterxml.").doesNotContain("software.amazon.awssdk.services.s3")
        .doesNotContain("com.amazonaws.services.lambda.runtime.events").doesNotContain("de.bwaldvogel")
        .doesNotContain("org.postgresql");
    assertThat(loaded.lines().filter(line -> line.contains("io.intentpipeline.privacy."))
        .map(line -> line.replaceAll(".*(io\\.intentpipeline\\.privacy\\.[A-Za-z$]+).*", "$1")).sorted().toList())
        .as("redaction loads two classes").containsExactly(
            "io.intentpipeline.privacy.Redaction", "io.intentpipeline.privacy.Redactor");
    try (ZipFile zip = new ZipFile(jar.path().toFile())) {
      assertThat(zip.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
      assertThat(zip.getEntry("de/bwaldvogel/liblinear/Linear.class")).isNull();
      assertThat(zip.getEntry("io/intentpipeline/ml/Trainer.class")).isNull();
      assertThat(zip.getEntry("software/amazon/awssdk/services/s3/S3Client.class")).isNull();
      assertThat(zip.getEntry("org/crac/Core.class")).isNotNull();
    }
    assertThat(jar.size()).as("jar size in bytes").isLessThan(4_000_000L);
  }

  private static String location(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
