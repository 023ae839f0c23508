package io.intentpipeline.local.cli;

import io.intentpipeline.local.stack.LocalStack;
import io.intentpipeline.local.stack.TemplateException;
import io.intentpipeline.storage.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pipeline serve}: the local stack, until Ctrl-C. */
@Command(name = "serve", description = {
    "Runs the whole system on this machine, as template.yaml describes it: the same handlers behind",
    "the HTTP API on 127.0.0.1, embedded S3 (objects under --data-dir) and SQS, the SQS event",
    "sources and the schedules, on PostgreSQL (DATABASE_URL, else the database intent_pipeline on",
    "127.0.0.1:5432, else an embedded server). Ctrl-C stops it cleanly."})
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--template", paramLabel = "FILE", description = "SAM template (default: template.yaml of the project)")
  Path template;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where S3 keeps its objects (default: .local-data/ of the project)")
  Path dataDir;

  @Option(names = "--port", description = "HTTP API port (default ${DEFAULT-VALUE}; 0 = any free port)",
      defaultValue = "" + LocalStack.Options.DEFAULT_API_PORT)
  int port;

  @Option(names = "--s3-port", description = "S3 port (default ${DEFAULT-VALUE})",
      defaultValue = "" + LocalStack.Options.DEFAULT_S3_PORT)
  int s3Port;

  @Option(names = "--sqs-port", description = "SQS port (default ${DEFAULT-VALUE})",
      defaultValue = "" + LocalStack.Options.DEFAULT_SQS_PORT)
  int sqsPort;

  @Option(names = "--schedules", paramLabel = "MODE", defaultValue = "real",
      description = "real: at the template's cron/rate times (UTC); fast: every schedule every --schedule-interval; off")
  String schedules;

  @Option(names = "--no-schedules", description = "Same as --schedules off")
  boolean noSchedules;

  @Option(names = "--schedule-interval", paramLabel = "SECONDS", defaultValue = "30",
      description = "Interval of --schedules fast (default ${DEFAULT-VALUE})")
  int scheduleInterval;

  @Option(names = "--max-batching-window", paramLabel = "SECONDS",
      description = "Caps the SQS event sources' batching windows (the template's otherwise)")
  Integer maxBatchingWindow;

  @Option(names = "--max-visibility-timeout", paramLabel = "SECONDS",
      description = "Caps the queues' visibility timeouts, so that failed messages come back sooner")
  Integer maxVisibilityTimeout;

  @Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "A template parameter (repeatable)")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A variable for every function, over the template's (repeatable)")
  Map<String, String> environment = new LinkedHashMap<>();

  @Option(names = "--concurrency", defaultValue = "4", description = "Containers per function at most (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--database-url", description = "JDBC URL of the database (default: DATABASE_URL, else the local server)")
  String databaseUrl;

  @Option(names = "--database-user", description = "Database user (or in the URL, or DATABASE_USER)")
  String databaseUser;

  @Option(names = "--database-password", description = "Database password (or DATABASE_PASSWORD)")
  String databasePassword;

  @Option(names = "--database-name", defaultValue = "intent_pipeline",
      description = "Database created on the local server when no URL is given (default ${DEFAULT-VALUE})")
  String databaseName;

  /** Why the last {@link #start} failed, as an exit code. */
  private int lastExitCode;

  @Override
  public Integer call() throws InterruptedException {
    LocalStack.Options options = options();
    // Before anything is made (the database, the data folder, the servers): a port another program
    // holds is one line, not the servers' stack traces after the database was created.
    Optional<String> busy = busyPort(options);
    if (busy.isPresent()) {
      System.err.println("serve: " + busy.get());
      return 4;
    }
    Database.Settings database;
    try {
      database = LocalDatabase.find(databaseUrl, databaseUser, databasePassword, databaseName);
    } catch (IllegalStateException e) {
      System.err.println("serve: " + e.getMessage());
      return 3;
    }
    LocalStack stack = start(options, database, System.err);
    if (stack == null) {
      return lastExitCode;
    }
    Thread hook = new Thread(() -> {
      System.out.println("Stopping: finishing requests in progress, draining the queues...");
      stack.close();
      var report = stack.drainReport();
      System.out.println("Stopped" + (report == null ? "." : ": delivered " + report.delivered()
          + " queued message(s) while stopping"
          + (report.kept().isEmpty() ? "" : "; kept in the data folder's queues for the next start: " + report.kept())));
      System.out.flush();
    }, "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printBanner(stack, options, database, System.out);
    // Runs until the JVM is asked to stop (Ctrl-C, SIGTERM); the hook then closes the stack.
    Thread.currentThread().join();
    return 0;
  }

  /** Why the stack cannot listen where it was asked to (a port in use on 127.0.0.1), if so. */
  static Optional<String> busyPort(LocalStack.Options options) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--port (HTTP API)", options.apiPort());
    ports.put("--s3-port (S3)", options.s3Port());
    ports.put("--sqs-port (SQS)", options.sqsPort());
    for (var entry : ports.entrySet()) {
      int port = entry.getValue();
      if (port == 0) {
        continue;
      }
      try (var socket = new java.net.ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      } catch (java.io.IOException e) {
        return Optional.of("port " + port + " of " + entry.getKey() + " is in use on 127.0.0.1 (another"
            + " ./pipeline serve?); stop what holds it, or choose another port (0 = any free port). Nothing was started");
      }
    }
    return Optional.empty();
  }

  /** Starts the stack or prints why not (setting {@link #lastExitCode}) and returns null. */
  LocalStack start(LocalStack.Options options, Database.Settings database, PrintStream err) {
    try {
      return LocalStack.start(options, database);
    } catch (TemplateException e) {
      err.println("serve: " + e.getMessage());
      lastExitCode = 2;
    } catch (IllegalStateException e) {
      err.println("serve: " + e.getMessage());
      lastExitCode = 3;
    } catch (org.flywaydb.core.api.FlywayException e) {
      err.println("serve: cannot prepare the database " + LocalDatabase.printable(database.url()) + ": " + e.getMessage());
      lastExitCode = 3;
    }
    return null;
  }

  LocalStack.Options options() {
    Path root = ProjectRoot.find();
    LocalStack.Schedules mode;
    try {
      mode = noSchedules ? LocalStack.Schedules.OFF : LocalStack.Schedules.valueOf(schedules.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--schedules must be real, fast or off, got '" + schedules + "'");
    }
    for (int p : new int[] {port, s3Port, sqsPort}) {
      if (p < 0 || p > 65535) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Ports must be 0-65535, got " + p);
      }
    }
    if (scheduleInterval < 1 || concurrency < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--schedule-interval and --concurrency must be at least 1");
    }
    if ((maxBatchingWindow != null && maxBatchingWindow < 0) || (maxVisibilityTimeout != null && maxVisibilityTimeout < 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-batching-window and --max-visibility-timeout take seconds >= 0");
    }
    // picocli splits NAME=VALUE at the first '=' but lets an empty NAME through.
    if (parameters.containsKey("") || environment.containsKey("")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--parameter and --env take NAME=VALUE with a NAME");
    }
    LocalStack.Options defaults = LocalStack.Options.defaults(root);
    return new LocalStack.Options(
        template != null ? template.toAbsolutePath() : defaults.template(),
        dataDir != null ? dataDir.toAbsolutePath() : defaults.dataDir(),
        port, s3Port, sqsPort, mode, Duration.ofSeconds(scheduleInterval),
        Optional.ofNullable(maxBatchingWindow).map(Duration::ofSeconds),
        Optional.ofNullable(maxVisibilityTimeout).map(Duration::ofSeconds),
        parameters, environment,
        concurrency, defaults.drainBudget());
  }

  /** The URLs, what is served, and a few commands to try. */
  static void printBanner(LocalStack stack, LocalStack.Options options, Database.Settings database, PrintStream out) {
    String api = stack.apiUrl().toString();
    out.println();
    out.println("intent-pipeline local stack (" + options.template().getFileName() + "): "
        + stack.routes().size() + " routes, " + stack.eventSources().size() + " SQS event source(s), "
        + stack.schedules().size() + " schedule(s), schedules " + options.schedules().name().toLowerCase(java.util.Locale.ROOT));
    out.println();
    out.println("  HTTP API    " + api + "   (127.0.0.1 only, no authorization: in AWS every route is IAM-authorized)");
    stack.consoleUrl().ifPresent(console ->
        out.println("  Console     " + console + "   (the admin console: review, errors, dashboard, models; docs/CONSOLE.md)"));
    out.println("  S3          " + stack.s3Endpoint() + "   buckets " + stack.buckets().values()
        + ", objects under " + options.dataDir());
    out.println("  SQS         " + stack.sqsEndpoint() + "   queues " + stack.queueNames().values());
    out.println("  PostgreSQL  " + LocalDatabase.printable(database.url()));
    out.println("  AWS CLI     access key " + io.intentpipeline.embedded.EmbeddedS3.ACCESS_KEY + ", secret "
        + io.intentpipeline.embedded.EmbeddedS3.SECRET_KEY + ", region us-east-1");
    out.println();
    out.println("Routes:");
    stack.routes().forEach((route, function) -> out.printf("  %-42s -> %s%n", route, function));
    if (!stack.eventSources().isEmpty()) {
      out.println("SQS event sources:");
      stack.eventSources().forEach((source, queue) -> out.printf("  %-42s <- %s%n", source, queue));
    }
    if (!stack.schedules().isEmpty()) {
      out.println("Schedules:");
      stack.schedules().forEach(s -> out.println("  " + s));
    }
    stack.warnings().forEach(w -> out.println("Not emulated: " + w));
    out.println();
    out.println("Try:");
    Map<String, String> routes = stack.routes();
    if (routes.containsKey("POST /ai/training/interactions")) {
      out.println("  curl -s -X POST " + api + "/ai/training/interactions -H 'content-type: application/json' \\");
      out.println("       -d '{\"user_message\": \"Where is my parcel?\", \"detected_intent\": \"order_status\", \"confidence_score\": 42}'");
    }
    if (routes.containsKey("POST /ai/training/flush")) {
      out.println("  curl -s -X POST " + api + "/ai/training/flush");
    }
    if (routes.containsKey("GET /ai/training/pending-review")) {
      out.println("  curl -s '" + api + "/ai/training/pending-review?limit=5'");
    }
    if (routes.containsKey("POST /ai/training/run")) {
      out.println("  curl -s -X POST " + api + "/ai/training/run -H 'content-type: application/json' -d '{}'");
    }
    if (routes.containsKey("GET /ai/training/predict")) {
      out.println("  curl -s '" + api + "/ai/training/predict?text=where%20is%20my%20order'");
    }
    if (routes.containsKey("GET /ai/training/metrics")) {
      out.println("  curl -s '" + api + "/ai/training/metrics?hours=24'");
    }
    if (!stack.buckets().isEmpty()) {
      out.println("  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local-secret aws --region us-east-1 --endpoint-url "
          + stack.s3Endpoint() + " s3 ls s3://" + stack.buckets().values().iterator().next() + " --recursive");
    }
    out.println();
    out.println("Ctrl-C stops: requests in progress finish, the queues are drained, then the servers stop.");
    out.flush();
  }
}
