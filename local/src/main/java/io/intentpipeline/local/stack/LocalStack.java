package io.intentpipeline.local.stack;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.embedded.EmbeddedSqs;
import io.intentpipeline.log.Log;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole system on one machine, driven by {@code template.yaml}: an S3 server (S3Proxy,
 * objects under the data folder, so models survive a restart) and an SQS server (ElasticMQ) in
 * this JVM, the template's queues and buckets, each function's handler class built with the
 * environment the template gives it (pointing at these servers and the PostgreSQL database),
 * the template's HTTP API routes on 127.0.0.1, its SQS event sources as pollers and its
 * schedules as timers. Nothing here implements a route: every request goes to the handler the
 * template names.
 *
 * <p>{@link #close()} stops in order: no new requests (those in progress finish), no more
 * timers, pollers stop after their current batch, then the queues are drained through their
 * event sources, then the servers stop.
 */
public final class LocalStack implements AutoCloseable {
  /** What the timers of the template's schedules do. */
  public enum Schedules {
    /** Fire at the times the schedule expressions say (UTC). */
    REAL,
    /** Fire every schedule every {@code fastScheduleInterval}, for demos and tests. */
    FAST,
    /** Never fire. */
    OFF
  }

  /**
   * How to run the stack.
   *
   * @param template the SAM template to serve
   * @param dataDir where S3 keeps its objects
   * @param apiPort, s3Port, sqsPort loopback ports; 0 picks a free one
   * @param maxBatchingWindow caps the event sources' batching windows (demos and tests)
   * @param maxVisibilityTimeout caps the queues' visibility timeouts, so that failed messages come back sooner
   * @param parameters values of template parameters (over their defaults)
   * @param environment variables given to every function, over the template's
   * @param concurrency containers per function at most (Lambda's concurrency)
   * @param drainBudget how long closing may spend delivering what the queues still hold
   */
  public record Options(Path template, Path dataDir, int apiPort, int s3Port, int sqsPort, Schedules schedules,
                        Duration fastScheduleInterval, Optional<Duration> maxBatchingWindow,
                        Optional<Duration> maxVisibilityTimeout, Map<String, String> parameters,
                        Map<String, String> environment, int concurrency, Duration drainBudget) {
    public static final int DEFAULT_API_PORT = 8770;
    public static final int DEFAULT_S3_PORT = 8771;
    public static final int DEFAULT_SQS_PORT = 8772;

    public Options {
      parameters = Map.copyOf(parameters);
      environment = Map.copyOf(environment);
    }

    /** The defaults for the project at {@code root}: its template.yaml, .local-data/, the fixed ports. */
    public static Options defaults(Path root) {
      return new Options(root.resolve("template.yaml"), root.resolve(".local-data"), DEFAULT_API_PORT,
          DEFAULT_S3_PORT, DEFAULT_SQS_PORT, Schedules.REAL, Duration.ofSeconds(30), Optional.empty(),
          Optional.empty(), Map.of(), Map.of(), 4, Duration.ofSeconds(30));
    }

    /** These options on free ports, with fast schedules, 1 s batching windows and 2 s visibility timeouts. */
    public Options fast() {
      return new Options(template, dataDir, 0, 0, 0, Schedules.FAST, Duration.ofSeconds(5),
          Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ofSeconds(2)), parameters, environment,
          concurrency, drainBudget);
    }

    /** These options with {@code dataDir}. */
    public Options withDataDir(Path dir) {
      return new Options(template, dir, apiPort, s3Port, sqsPort, schedules, fastScheduleInterval, maxBatchingWindow,
          maxVisibilityTimeout, parameters, environment, concurrency, drainBudget);
    }

    /** These options with {@code template}. */
    public Options withTemplate(Path file) {
      return new Options(file, dataDir, apiPort, s3Port, sqsPort, schedules, fastScheduleInterval, maxBatchingWindow,
          maxVisibilityTimeout, parameters, environment, concurrency, drainBudget);
    }

    /** These options with schedules {@code mode}. */
    public Options withSchedules(Schedules mode) {
      return new Options(template, dataDir, apiPort, s3Port, sqsPort, mode, fastScheduleInterval, maxBatchingWindow,
          maxVisibilityTimeout, parameters, environment, concurrency, drainBudget);
    }

    /** These options with {@code values} for template parameters and {@code variables} for every function. */
    public Options withValues(Map<String, String> values, Map<String, String> variables) {
      return new Options(template, dataDir, apiPort, s3Port, sqsPort, schedules, fastScheduleInterval, maxBatchingWindow,
          maxVisibilityTimeout, values, variables, concurrency, drainBudget);
    }
  }

  /**
   * What closing did with the messages the queues still held: delivered through their event
   * sources, or kept (by queue logical id) in the durable queues of the data folder for the next
   * start, a message waiting out a visibility timeout included.
   */
  public record DrainReport(int delivered, Map<String, Integer> kept) {}

  private final Options options;
  private final StackTemplate template;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, Resolver.QueueRef> queues = new LinkedHashMap<>();
  private final Map<String, String> buckets = new LinkedHashMap<>();
  private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  private final List<SqsEventSource> eventSources = new ArrayList<>();
  private final List<Thread> pollers = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private EmbeddedS3 s3Server;
  private EmbeddedSqs sqsServer;
  private S3Client s3;
  private SqsClient sqs;
  private AwsSettings aws;
  private HttpApiServer http;
  private Optional<ConsoleFiles> console = Optional.empty();
  private ScheduleTimers timers;
  private volatile DrainReport drainReport;

  private LocalStack(Options options, StackTemplate template) {
    this.options = options;
    this.template = template;
  }

  /**
   * Starts the stack on {@code database} (migrated here with Flyway). Fails with a
   * {@link TemplateException} when the template cannot be served, with an
   * {@link IllegalStateException} when a port is taken or a server cannot start.
   */
  public static LocalStack start(Options options, Database.Settings database) {
    StackTemplate template = StackTemplate.read(options.template());
    LocalStack stack = new LocalStack(options, template);
    try {
      stack.boot(database);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void boot(Database.Settings database) {
    int applied = Migrations.migrate(database);
    Log.info("database_ready", "migrations_applied", applied);

    // The two servers take seconds each to start: start them side by side.
    var s3Start = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        startServer("S3", options.s3Port(), () -> EmbeddedS3.onDisk(options.dataDir().resolve("s3"), options.s3Port())));
    try {
      // Durable: every message is in the data folder before SQS acknowledges it, so that a
      // process killed hard (kill -9, a crash) loses nothing record answered 202 for.
      sqsServer = startServer("SQS", options.sqsPort(), () -> EmbeddedSqs.durable(options.sqsPort(), sqsFolder()));
      resources.add(sqsServer);
    } finally {
      try {
        s3Server = s3Start.join();
        resources.add(s3Server);
      } catch (java.util.concurrent.CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }
    Map<String, String> platform = new LinkedHashMap<>();
    platform.put("AWS_REGION", Resolver.REGION);
    platform.put("AWS_DEFAULT_REGION", Resolver.REGION);
    platform.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
    platform.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
    platform.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
    platform.put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    aws = AwsSettings.fromEnv(Env.of(platform));
    s3 = S3Clients.create(aws);
    resources.add(s3);
    sqs = SqsClients.create(aws);
    resources.add(sqs);

    Resolver early = new Resolver(template, options.parameters(), Map.of(), Map.of());
    template.buckets().forEach((id, bucket) -> {
      String name = bucket.bucketName().map(n -> early.text(n, "Resources." + id + ".Properties.BucketName"))
          .orElse(id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-"));
      S3Clients.ensureBucket(s3, name);
      buckets.put(id, name);
    });
    createQueues(early);
    Map<String, Integer> restored = new QueueKeeper(options.dataDir()).restore(sqs, queueUrls());
    restored.forEach((queue, count) -> Log.info("kept_messages_restored", "queue", queue, "messages", count));

    Resolver resolver = new Resolver(template, options.parameters(), queues, buckets);
    // A database function of the template names its database by DATABASE_URL and reads its login
    // from the Secrets Manager secret DATABASE_SECRET_ARN. Here the login is the local database's
    // own, given directly (DATABASE_USER, DATABASE_PASSWORD): no secret, no Secrets Manager.
    Map<String, String> databaseVariables = new LinkedHashMap<>();
    databaseVariables.put("DATABASE_URL", database.url());
    if (database.user() != null) {
      databaseVariables.put("DATABASE_USER", database.user());
    }
    if (database.password() != null) {
      databaseVariables.put("DATABASE_PASSWORD", database.password());
    }
    for (StackTemplate.FunctionSpec spec : template.functions().values()) {
      Map<String, String> env = new LinkedHashMap<>(platform);
      env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
      env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
      env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      spec.environment().forEach((name, value) -> {
        if (name.equals("DATABASE_URL")) {
          env.putAll(databaseVariables);
        } else if (!name.equals("DATABASE_SECRET_ARN")) {
          env.put(name, resolver.text(value, "Resources." + spec.logicalId() + ".Properties.Environment.Variables." + name));
        }
      });
      env.putAll(options.environment());
      int concurrency = spec.reservedConcurrency().map(r -> Math.min(r, options.concurrency()))
          .orElse(options.concurrency());
      LocalFunction function = new LocalFunction(spec, env, concurrency);
      functions.put(spec.logicalId(), function);
      resources.add(function);
    }

    try {
      console = ConsoleFiles.beside(options.template());
      http = new HttpApiServer(options.apiPort(), new RouteTable(template.routes()), functions, console);
    } catch (BindException e) {
      throw new IllegalStateException("Port " + options.apiPort() + " (HTTP API) is in use; choose another with --port", e);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the HTTP API: " + e.getMessage(), e);
    }

    for (StackTemplate.SqsSource source : template.sqsSources()) {
      if (!source.enabled()) {
        continue;
      }
      Duration window = options.maxBatchingWindow()
          .filter(max -> max.compareTo(source.batchingWindow()) < 0).orElse(source.batchingWindow());
      Resolver.QueueRef queue = queues.get(source.queueId());
      LocalFunction function = functions.get(source.functionId());
      int count = pollerCount(source, function.concurrency(), resolver);
      for (int i = 0; i < count; i++) {
        SqsEventSource poller = new SqsEventSource(source, function, sqs, queue.url(), queue.arn(), window);
        eventSources.add(poller);
        Thread thread = new Thread(poller, "poll-" + source.name() + "-" + i);
        thread.setDaemon(true);
        thread.start();
        pollers.add(thread);
      }
    }

    List<StackTemplate.ScheduleSpec> schedules = new ArrayList<>();
    for (StackTemplate.ScheduleSpec s : template.schedules()) {
      String expression = resolver.text(s.expression(), "schedule " + s.name());
      schedules.add(new StackTemplate.ScheduleSpec(s.name(), expression, s.functionId(), s.input(), s.enabled(),
          s.schedulerPayload()));
    }
    ScheduleTimers.Mode mode = ScheduleTimers.Mode.valueOf(options.schedules().name());
    List<Duration> retries = mode == ScheduleTimers.Mode.REAL
        ? List.of(Duration.ofMinutes(1), Duration.ofMinutes(2))
        : List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
    timers = new ScheduleTimers(schedules, functions, mode, options.fastScheduleInterval(), retries);
    template.warnings().forEach(w -> Log.warn("not_emulated", "what", w));
    Log.info("local_stack_started", "api", http.url().toString(), "functions", functions.size(),
        "routes", template.routes().size(), "event_sources", eventSources.size(), "schedules", schedules.size());
  }

  /** Creates the queues, each dead-letter queue before the queues that send to it. */
  private void createQueues(Resolver resolver) {
    List<String> order = new ArrayList<>();
    for (String id : template.queues().keySet()) {
      addInOrder(id, order, new ArrayList<>());
    }
    for (String id : order) {
      StackTemplate.QueueSpec spec = template.queues().get(id);
      String where = "Resources." + id + ".Properties";
      String name = spec.queueName().map(n -> resolver.text(n, where + ".QueueName")).orElse(id);
      Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
      for (String attribute : List.of("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
          "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "FifoQueue", "ContentBasedDeduplication")) {
        Object value = spec.properties().get(attribute);
        if (value != null) {
          attributes.put(QueueAttributeName.fromValue(attribute), resolver.text(value, where + "." + attribute));
        }
      }
      options.maxVisibilityTimeout().ifPresent(max -> {
        long current = Long.parseLong(attributes.getOrDefault(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(Math.min(current, max.toSeconds())));
      });
      spec.deadLetterQueueId().ifPresent(dlq -> attributes.put(QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\"" + queues.get(dlq).arn() + "\",\"maxReceiveCount\":\"" + spec.maxReceiveCount() + "\"}"));
      String url = createOrUpdate(name, attributes);
      String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      queues.put(id, new Resolver.QueueRef(name, url, arn));
    }
  }

  /** The folder of the durable queues, created when missing. */
  private Path sqsFolder() {
    Path folder = options.dataDir().resolve("sqs");
    try {
      java.nio.file.Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the queues' folder " + folder + ": " + e.getMessage(), e);
    }
    return folder;
  }

  /**
   * The queue {@code name} with {@code attributes}: created, or, when the durable store kept it
   * from an earlier start, given the attributes of this start (the template or the options may
   * have changed them since).
   */
  private String createOrUpdate(String name, Map<QueueAttributeName, String> attributes) {
    try {
      return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    } catch (software.amazon.awssdk.services.sqs.model.QueueNameExistsException e) {
      String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
      Map<QueueAttributeName, String> settable = new LinkedHashMap<>(attributes);
      settable.remove(QueueAttributeName.FIFO_QUEUE); // fixed at creation
      sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(settable));
      return url;
    }
  }

  private void addInOrder(String id, List<String> order, List<String> path) {
    if (order.contains(id)) {
      return;
    }
    if (path.contains(id)) {
      throw new TemplateException("Queues " + path + " name each other as dead-letter queues");
    }
    path.add(id);
    template.queues().get(id).deadLetterQueueId().ifPresent(dlq -> addInOrder(dlq, order, path));
    order.add(id);
  }

  private static <T> T startServer(String what, int port, java.util.function.Supplier<T> start) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot start the embedded " + what + " server on port " + port
          + " (in use? choose another port): " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** The HTTP API's base URL. */
  public URI apiUrl() {
    return http.url();
  }

  /** The admin console's address ({@code <api>/console/}), when the project has its console/ folder. */
  public Optional<URI> consoleUrl() {
    return console.map(c -> http.url().resolve(ConsoleFiles.PREFIX + "/"));
  }

  /** The embedded S3 server's endpoint. */
  public URI s3Endpoint() {
    return s3Server.endpoint();
  }

  /** The embedded SQS server's endpoint. */
  public URI sqsEndpoint() {
    return sqsServer.endpoint();
  }

  /** An S3 client for the embedded server (closed with the stack). */
  public S3Client s3() {
    return s3;
  }

  /** An SQS client for the embedded server (closed with the stack). */
  public SqsClient sqs() {
    return sqs;
  }

  /** The URL of the template's queue {@code logicalId}. */
  public String queueUrl(String logicalId) {
    Resolver.QueueRef queue = queues.get(logicalId);
    if (queue == null) {
      throw new IllegalArgumentException("No queue " + logicalId + " in the template");
    }
    return queue.url();
  }

  private Map<String, String> queueUrls() {
    Map<String, String> urls = new LinkedHashMap<>();
    queues.forEach((id, q) -> urls.put(id, q.url()));
    return urls;
  }

  /** The queues by logical id, as name. */
  public Map<String, String> queueNames() {
    Map<String, String> names = new LinkedHashMap<>();
    queues.forEach((id, q) -> names.put(id, q.name()));
    return names;
  }

  /** The bucket names by logical id. */
  public Map<String, String> buckets() {
    return Map.copyOf(buckets);
  }

  /** The route keys served, with the function serving each, in template order. */
  public Map<String, String> routes() {
    Map<String, String> routes = new LinkedHashMap<>();
    template.routes().forEach(r -> routes.put(r.routeKey(), r.functionId()));
    return routes;
  }

  /** The SQS event sources ({@code Function.Event -> queue logical id}). */
  public Map<String, String> eventSources() {
    Map<String, String> sources = new LinkedHashMap<>();
    template.sqsSources().forEach(s -> sources.put(s.name(), s.queueId()));
    return sources;
  }

  /** The schedules (name -> expression) and the function each invokes. */
  public List<String> schedules() {
    return template.schedules().stream().map(s -> s.name() + " " + s.expression() + " -> " + s.functionId()).toList();
  }

  /** What the template declares that is not emulated. */
  public List<String> warnings() {
    return template.warnings();
  }

  /** The environment function {@code logicalId} was built with. */
  public Env environment(String logicalId) {
    LocalFunction function = functions.get(logicalId);
    if (function == null) {
      throw new IllegalArgumentException("No function " + logicalId + " in the template");
    }
    return function.env();
  }

  /** How many times the schedule timers fired so far. */
  public long schedulesFired() {
    return timers == null ? 0 : timers.fired();
  }

  /** What the last {@link #close()} delivered and left in the queues; null before. */
  public DrainReport drainReport() {
    return drainReport;
  }

  /** Stops as described in the class comment; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (timers != null) {
      timers.close();
    }
    if (http != null) {
      http.stop(30);
    }
    eventSources.forEach(SqsEventSource::stop);
    for (Thread poller : pollers) {
      try {
        poller.join(Duration.ofMinutes(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    drain();
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        Log.warn("close_failed", "resource", resources.get(i).getClass().getSimpleName(),
            "exception", e.getClass().getName());
      }
    }
    Log.info("local_stack_stopped");
  }

  /**
   * How many batches of {@code source} are in flight at once: as Lambda's event source mapping,
   * up to the mapping's ScalingConfig.MaximumConcurrency (2-1000), and never more than the
   * function's {@code instances} here (its reserved concurrency, capped by --concurrency).
   */
  static int pollerCount(StackTemplate.SqsSource source, int instances, Resolver resolver) {
    if (source.maximumConcurrency().isEmpty()) {
      return instances;
    }
    String where = source.name() + ".ScalingConfig.MaximumConcurrency";
    String text = resolver.text(source.maximumConcurrency().get(), where);
    int maximum;
    try {
      maximum = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new TemplateException(where + " must be a whole number, got '" + text + "'");
    }
    if (maximum < 2 || maximum > 1000) {
      throw new TemplateException(where + " must be between 2 and 1000, got " + maximum);
    }
    return Math.min(maximum, instances);
  }

  private void drain() {
    if (sqs == null || queues.isEmpty()) {
      return;
    }
    int delivered = 0;
    long deadline = System.nanoTime() + options.drainBudget().toNanos();
    try {
      for (SqsEventSource source : eventSources) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        for (SqsEventSource.Delivery d : source.drain(left)) {
          delivered += d.deleted();
        }
      }
      // What is still queued stays in the durable queues' store for the next start.
      Map<String, Integer> kept = new LinkedHashMap<>();
      queues.forEach((id, queue) -> {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue.url()).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        int count = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        if (count > 0) {
          kept.put(id, count);
        }
      });
      drainReport = new DrainReport(delivered, kept);
      Log.info("queues_drained", "delivered", delivered, "kept", kept.values().stream().mapToInt(n -> n).sum());
    } catch (RuntimeException e) {
      Log.error("drain_failed", e);
    }
  }
}
