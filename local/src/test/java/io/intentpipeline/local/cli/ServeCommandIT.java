package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.testing.Events;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./pipeline serve} as a user runs it: a process of its own, stopped by a signal. */
class ServeCommandIT {
  private static final Pattern API = Pattern.compile("HTTP API\\s+(http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void servesUntilTerminatedThenDeliversWhatItHeldAndStops(@TempDir Path dataDir) throws Exception {
    // Arrange: the launcher's class path (local/target/classes and classpath.txt, built by package).
    Path root = Events.projectRoot();
    Path classpathFile = root.resolve("local/target/classpath.txt");
    assumeTrue(Files.isRegularFile(classpathFile), "local/target/classpath.txt is built by mvn package");
    String classpath = root.resolve("local/target/classes") + java.io.File.pathSeparator
        + Files.readString(classpathFile).strip();
    try (FreshDatabase database = PostgresServer.shared().createDatabase("serve")) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dpipeline.root=" + root, "-cp", classpath, "io.intentpipeline.local.cli.Main", "serve",
          "--port", "0", "--s3-port", "0", "--sqs-port", "0", "--data-dir", dataDir.toString(), "--no-schedules",
          "--database-url", database.jdbcUrl()));
      if (database.user() != null) {
        command.addAll(List.of("--database-user", database.user()));
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      StringBuffer output = new StringBuffer();
      CompletableFuture<String> apiUrl = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            output.append(line).append('\n');
            Matcher m = API.matcher(line);
            if (m.find()) {
              apiUrl.complete(m.group(1));
            }
          }
        } catch (java.io.IOException ignored) {
          // the process ended
        }
        apiUrl.complete(null);
      });
      reader.start();
      try {
        String url = apiUrl.get(120, TimeUnit.SECONDS);
        assertThat(url).as(output.toString()).isNotNull();

        // Act: one interaction (the event source holds it in its 30 s batching window), then SIGTERM.
        HttpResponse<String> recorded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/ai/training/interactions")).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"interaction_id\": \"serve-1\", \"user_message\": \"hi\","
                + " \"detected_intent\": \"greeting\", \"confidence_score\": 97}")).build(),
            HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1500);
        // SIGTERM through the handle: Process.destroy() would also close the pipes we read.
        process.toHandle().destroy();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        reader.join(5000);

        // Assert: it stopped by itself, after storing what it held.
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(202);
        assertThat(ended).as(output.toString()).isTrue();
        assertThat(process.exitValue()).as("killed by SIGTERM after the shutdown hook ran").isEqualTo(143);
        assertThat(output.toString()).contains("Ctrl-C stops").contains("Stopping: finishing requests in progress")
            .contains("Stopped");
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM ai_training_data WHERE interaction_id = 'serve-1'")) {
          rs.next();
          assertThat(rs.getInt(1)).as(output.toString()).isEqualTo(1);
        }
      } finally {
        process.destroyForcibly();
      }
    }
  }

  private static int run(PrintStream err, String... args) {
    PrintStream original = System.err;
    System.setErr(err);
    try {
      return Main.execute(args);
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void badUsageAndAnUnreadableTemplateExitWith2AndAnUnreachableDatabaseWith3(@TempDir Path dir) {
    // Arrange
    var err = new ByteArrayOutputStream();
    var errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    // Act
    int badMode = run(errStream, "serve", "--schedules", "sometimes");
    int badTemplate = run(errStream, "serve", "--template", dir.resolve("missing.yaml").toString(),
        "--database-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    int noDatabase = run(errStream, "serve", "--port", "0", "--s3-port", "0", "--sqs-port", "0",
        "--data-dir", dir.toString(), "--database-url", "jdbc:postgresql://127.0.0.1:1/nothing");

    // Assert
    String messages = err.toString(StandardCharsets.UTF_8);
    assertThat(badMode).as(messages).isEqualTo(2);
    assertThat(badTemplate).as(messages).isEqualTo(2);
    assertThat(noDatabase).as(messages).isEqualTo(3);
    assertThat(messages).contains("--schedules must be real, fast or off")
        .contains("Cannot read the template")
        .contains("cannot prepare the database jdbc:postgresql://127.0.0.1:1/nothing");
  }

  @Test
  void aBusyPortIsOneLineAndNothingIsMade(@TempDir Path dir) throws Exception {
    // Arrange: another program on the SQS port; a database name that does not exist yet
    String name = "ipt_busy_" + Long.toHexString(System.nanoTime());
    Path dataDir = dir.resolve("data");
    var err = new ByteArrayOutputStream();
    int exit;
    try (var holder = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int busy = holder.getLocalPort();

      // Act
      exit = run(new PrintStream(err, true, StandardCharsets.UTF_8), "serve", "--port", "0", "--s3-port", "0",
          "--sqs-port", String.valueOf(busy), "--data-dir", dataDir.toString(), "--database-name", name);

      // Assert: one clear line naming the port and the option
      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(message).isEqualTo(4);
      assertThat(message.strip().lines()).as(message).singleElement().asString()
          .startsWith("serve: port " + busy + " of --sqs-port (SQS) is in use").doesNotContain("Exception");
    }
    // ... and nothing half-made: no data folder, no database
    assertThat(dataDir).doesNotExist();
    assumeTrue(System.getenv("DATABASE_URL") == null, "with DATABASE_URL serve creates no database anyway");
    try (FreshDatabase postgres = PostgresServer.shared().openOrCreate("postgres"); Connection c = postgres.connect();
         var s = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  /** A {@code serve} process and what it printed; {@link #url()} once the banner named the API. */
  private record Served(Process process, StringBuffer output, CompletableFuture<String> apiUrl) {
    String url() throws Exception {
      String url = apiUrl.get(120, TimeUnit.SECONDS);
      assertThat(url).as(output.toString()).isNotNull();
      return url;
    }
  }

  private static Served serve(FreshDatabase database, Path dataDir, String... more) throws Exception {
    Path root = Events.projectRoot();
    String classpath = root.resolve("local/target/classes") + java.io.File.pathSeparator
        + Files.readString(root.resolve("local/target/classpath.txt")).strip();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dpipeline.root=" + root, "-cp", classpath, "io.intentpipeline.local.cli.Main", "serve",
        "--port", "0", "--s3-port", "0", "--sqs-port", "0", "--data-dir", dataDir.toString(), "--no-schedules",
        "--database-url", database.jdbcUrl()));
    if (database.user() != null) {
      command.addAll(List.of("--database-user", database.user()));
    }
    command.addAll(List.of(more));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<String> apiUrl = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          Matcher m = API.matcher(line);
          if (m.find()) {
            apiUrl.complete(m.group(1));
          }
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
      apiUrl.complete(null);
    });
    reader.setDaemon(true);
    reader.start();
    return new Served(process, output, apiUrl);
  }

  @Test
  void aHardKillLosesNoInteractionThatWasAcknowledged(@TempDir Path dataDir) throws Exception {
    // Arrange: serve, whose flush gathers batches for 30 s (the template's window), so that what
    // record acknowledges is still in the queue, or held by the poller, when the process dies.
    assumeTrue(Files.isRegularFile(Events.projectRoot().resolve("local/target/classpath.txt")),
        "local/target/classpath.txt is built by mvn package");
    int sent = 60;
    List<String> acknowledged = new ArrayList<>();
    try (FreshDatabase database = PostgresServer.shared().createDatabase("servekill")) {
      Served first = serve(database, dataDir, "--max-visibility-timeout", "5");
      try {
        String url = first.url();
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < sent; i++) {
          String id = "kill-" + i;
          HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url + "/ai/training/interactions"))
              .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                  "{\"interaction_id\": \"" + id + "\", \"user_message\": \"where is my parcel " + i + "\","
                      + " \"detected_intent\": \"order_status\", \"confidence_score\": 88}")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() == 202) {
            acknowledged.add(id);
          }
        }

        // Act: kill -9 (no shutdown hook, no drain), then serve again on the same data folder
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.process().destroyForcibly();
      }
      Served second = serve(database, dataDir, "--max-visibility-timeout", "5", "--max-batching-window", "1");
      try {
        second.url();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int stored = 0;
        while (System.nanoTime() < deadline) {
          stored = storedIds(database).size();
          if (stored >= acknowledged.size()) {
            break;
          }
          Thread.sleep(1000);
        }

        // Assert: every interaction answered 202 before the kill is stored, once
        assertThat(acknowledged).hasSize(sent);
        assertThat(storedIds(database)).as(second.output().toString()).containsExactlyInAnyOrderElementsOf(acknowledged);
      } finally {
        second.process().toHandle().destroy();
        second.process().waitFor(60, TimeUnit.SECONDS);
        second.process().destroyForcibly();
      }
    }
  }

  private static List<String> storedIds(FreshDatabase database) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT interaction_id FROM ai_training_data WHERE interaction_id LIKE 'kill-%'")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
