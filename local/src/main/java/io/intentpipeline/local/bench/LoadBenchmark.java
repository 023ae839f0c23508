package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.tools.attach.VirtualMachine;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.Main;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The load benchmark: the local stack ({@code ./pipeline serve}, template.yaml's functions, queues
 * and event sources) started in a JVM of its own on a fresh database, then {@code interactions}
 * interactions posted to {@code POST /ai/training/interactions} by {@code clients} concurrent HTTP
 * clients (single interactions and batches mixed), until the flush function has stored them all.
 *
 * <p>Measured: each request's latency as its client sees it; throughput of the posts and of the
 * whole path (first post to last row stored); the stack JVM's used heap after a full GC (asked
 * through JMX, attached to the stack's process), after a warm-up and then periodically and at the
 * end. Checked: every interaction id is stored exactly once.
 */
public final class LoadBenchmark {
  /** The stack's heap at the end may exceed the warm-up's by at most this share: "stays flat". */
  public static final double FLAT_HEAP_TOLERANCE = 0.20;
  /** How long after the last row is stored the end heap sample is taken. */
  public static final Duration END_SETTLE = Duration.ofSeconds(3);

  /**
   * How to run.
   *
   * @param interactions measured interactions
   * @param clients concurrent HTTP clients
   * @param warmup interactions posted and stored first, not measured (the heap baseline is taken after them)
   * @param heapEvery interval of the heap samples during the load (each forces a full GC in the stack)
   * @param stackHeap the stack JVM's -Xmx, e.g. "1g"
   * @param seed the seed of the request mix
   */
  public record Options(int interactions, int clients, int warmup, Duration heapEvery, String stackHeap, long seed) {}

  /** One heap sample: seconds since the measured load started, rows stored by then, heap used after GC. */
  public record HeapSample(double seconds, long stored, long usedBytes) {}

  /** Latency percentiles of a kind of request, in milliseconds. */
  public record Latency(int requests, double p50, double p90, double p99, double max) {
    static Latency of(long[] nanos) {
      if (nanos.length == 0) {
        return new Latency(0, 0, 0, 0, 0);
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return new Latency(sorted.length, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99),
          sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
  }

  /** What a run measured. */
  public record Result(int interactions, int requests, int clients, int retries, long rowsStored, long distinctIds,
                       long measuredRows, double postSeconds, double endToEndSeconds, Latency all, Latency single,
                       Latency batch, List<HeapSample> heap, long warmHeapBytes, long endHeapBytes, String stackJvm) {
    /** Interactions accepted per second while posting. */
    public double postedPerSecond() {
      return interactions / postSeconds;
    }

    /** Interactions stored per second, first post to last row. */
    public double storedPerSecond() {
      return interactions / endToEndSeconds;
    }

    /** The end heap over the warm-up heap, minus one. */
    public double heapGrowth() {
      return (double) endHeapBytes / warmHeapBytes - 1;
    }

    /** Whether the heap stayed flat by {@link #FLAT_HEAP_TOLERANCE}. */
    public boolean heapFlat() {
      return heapGrowth() <= FLAT_HEAP_TOLERANCE;
    }

    /** Whether every measured interaction was stored exactly once (and nothing else was stored twice). */
    public boolean exactlyOnce() {
      return measuredRows == interactions && rowsStored == distinctIds;
    }
  }

  private final Options options;
  private final Path root;
  private final Consumer<String> progress;

  /** A benchmark of the project at {@code root}; {@code progress} is told what is happening. */
  public LoadBenchmark(Options options, Path root, Consumer<String> progress) {
    if (options.interactions() < 1 || options.clients() < 1 || options.warmup() < 0) {
      throw new IllegalArgumentException("interactions and clients must be at least 1, warmup at least 0");
    }
    this.options = options;
    this.root = root;
    this.progress = progress;
  }

  /** Runs it: starts the stack, loads it, stops it, drops the database. */
  public Result run() throws Exception {
    Path data = Files.createTempDirectory("load-benchmark");
    Path log = data.resolve("stack.log");
    boolean ok = false;
    try (FreshDatabase database = PostgresServer.shared().createDatabase("load")) {
      int port = freePort();
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.add("-Xmx" + options.stackHeap());
      command.add("-Dpipeline.root=" + root);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Main.class.getName());
      command.addAll(List.of("serve", "--port", Integer.toString(port), "--s3-port", "0", "--sqs-port", "0",
          "--data-dir", data.resolve("stack").toString(), "--no-schedules",
          // Only the last, partial batch waits for the window: 1 s instead of the template's 30 s.
          "--max-batching-window", "1",
          // No automatic training in the middle of an ingestion benchmark.
          "--parameter", "RetrainThreshold=1000000"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("DATABASE_URL", database.jdbcUrl());
      putOrRemove(builder.environment(), "DATABASE_USER", database.user());
      putOrRemove(builder.environment(), "DATABASE_PASSWORD", database.password());
      progress.accept("starting the local stack (log: " + log + ")");
      Process stack = builder.start();
      try {
        URI api = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
        waitUntilUp(stack, http, api, log);
        try (Heap heap = Heap.attach(stack.pid())) {
          Result result = load(database, http, api, heap, stack);
          ok = true;
          return result;
        }
      } finally {
        stack.destroy();
        if (!stack.waitFor(60, TimeUnit.SECONDS)) {
          stack.destroyForcibly();
        }
      }
    } finally {
      if (ok) {
        deleteTree(data);
      } else {
        progress.accept("kept the stack's log for a look: " + log);
      }
    }
  }

  private Result load(FreshDatabase database, HttpClient http, URI api, Heap heap, Process stack) throws Exception {
    if (options.warmup() > 0) {
      progress.accept("warm-up: " + options.warmup() + " interactions");
      post(http, api, requests("warm", options.warmup(), options.seed() + 1), null);
      waitUntilStored(database, "warm-%", options.warmup(), stack);
    }
    long warmHeap = heap.usedAfterGc();
    progress.accept(String.format("heap after warm-up: %.1f MiB", warmHeap / 1048576.0));

    List<Request> requests = requests("load", options.interactions(), options.seed());
    List<HeapSample> samples = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        try {
          Thread.sleep(options.heapEvery().toMillis());
          if (!sampling.get()) {
            return;
          }
          long used = heap.usedAfterGc();
          long stored = count(database, "load-%");
          samples.add(new HeapSample((System.nanoTime() - start) / 1e9, stored, used));
          progress.accept(String.format("%6.1f s: %d stored, heap after GC %.1f MiB", (System.nanoTime() - start) / 1e9,
              stored, used / 1048576.0));
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          progress.accept("heap sample failed: " + e);
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    int[] retries = new int[1];
    Posted posted;
    try {
      posted = post(http, api, requests, retries);
      double postSeconds = (System.nanoTime() - start) / 1e9;
      progress.accept(String.format("posted %d interactions in %d requests in %.1f s; waiting for the flushes",
          options.interactions(), requests.size(), postSeconds));
      waitUntilStored(database, "load-%", options.interactions(), stack);
      double endToEnd = (System.nanoTime() - start) / 1e9;
      sampling.set(false);
      sampler.interrupt();
      sampler.join(30_000);
      // The embedded SQS server (ElasticMQ) forgets a deleted message's id at once but drops its
      // entry in the delivery order only when a later receive walks past it; the flush event
      // source's next long poll (1 s) does that once the queue is empty. The end sample waits for it.
      Thread.sleep(END_SETTLE.toMillis());
      long endHeap = heap.usedAfterGc();
      samples.add(new HeapSample((System.nanoTime() - start) / 1e9, count(database, "load-%"), endHeap));

      long[] totals = totals(database);
      return new Result(options.interactions(), requests.size(), options.clients(), retries[0], totals[0], totals[1],
          totals[2], postSeconds, endToEnd, Latency.of(posted.all()), Latency.of(posted.single()),
          Latency.of(posted.batch()), List.copyOf(samples), warmHeap, endHeap, heap.describe());
    } finally {
      sampling.set(false);
      sampler.interrupt();
    }
  }

  /** One POST: the interactions {@code from} to {@code to} (exclusive) of a run. */
  private record Request(String prefix, int from, int to, long seed) {
    boolean single() {
      return to - from == 1;
    }

    String body() {
      SplittableRandom random = new SplittableRandom(seed);
      List<ObjectNode> items = new ArrayList<>();
      String[] intents = {"order_status", "refund_request", "cancel_order", "change_address", "greeting",
          "human_handoff", "product_availability", "payment_issue"};
      String[] words = {"where", "is", "my", "order", "parcel", "refund", "please", "card", "charged", "twice",
          "¿dónde", "está", "mi", "pedido", "cancel", "address", "help"};
      for (int k = from; k < to; k++) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("interaction_id", prefix + "-" + k);
        StringBuilder text = new StringBuilder();
        for (int w = 3 + random.nextInt(12); w > 0; w--) {
          text.append(words[random.nextInt(words.length)]).append(' ');
        }
        n.put("user_message", text.toString().strip());
        n.put("detected_intent", intents[random.nextInt(intents.length)]);
        n.put("confidence_score", random.nextInt(101));
        n.put("ai_response", "An answer of the bot to message " + k + ".");
        n.put("escalated", random.nextInt(10) == 0);
        n.put("response_source", random.nextBoolean() ? "faq" : "llm");
        items.add(n);
      }
      if (items.size() == 1) {
        return Json.write(items.get(0));
      }
      ArrayNode array = Json.MAPPER.createArrayNode().addAll(items);
      return Json.write(Json.MAPPER.createObjectNode().set("interactions", array));
    }
  }

  /** Half the requests carry one interaction, the others a batch of 2 to 50. */
  private static List<Request> requests(String prefix, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Request> out = new ArrayList<>();
    int next = 0;
    while (next < count) {
      int size = random.nextBoolean() ? 1 : 2 + random.nextInt(49);
      size = Math.min(size, count - next);
      out.add(new Request(prefix, next, next + size, random.nextLong()));
      next += size;
    }
    return out;
  }

  private record Posted(long[] all, long[] single, long[] batch) {}

  /**
   * Posts {@code requests} from {@link Options#clients()} threads, each taking the next request;
   * a request that fails (not 202, or an I/O error) is sent again with the same ids, as the
   * record function's answer asks, up to 5 times. Returns the latencies of the answered requests.
   */
  private Posted post(HttpClient http, URI api, List<Request> requests, int[] retries) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger retried = new AtomicInteger();
    long[] latencies = new long[requests.size()];
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    URI uri = api.resolve("/ai/training/interactions");
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < options.clients(); c++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < requests.size() && failures.isEmpty()) {
          String body = requests.get(i).body();
          HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
          // From the first attempt: a retried request's latency is what its client waited in all.
          long began = System.nanoTime();
          for (int attempt = 1; ; attempt++) {
            String problem;
            try {
              HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
              if (answer.statusCode() == 202) {
                latencies[i] = System.nanoTime() - began;
                break;
              }
              problem = "HTTP " + answer.statusCode() + ": " + answer.body();
            } catch (IOException e) {
              problem = e.toString();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            if (attempt == 5) {
              failures.add(new IllegalStateException("a request failed 5 times, last: " + problem));
              return;
            }
            retried.incrementAndGet();
          }
        }
      }, "client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.get(0).getMessage(), failures.get(0));
    }
    if (retries != null) {
      retries[0] = retried.get();
    }
    long[] single = new long[requests.size()];
    long[] batch = new long[requests.size()];
    int s = 0;
    int b = 0;
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).single()) {
        single[s++] = latencies[i];
      } else {
        batch[b++] = latencies[i];
      }
    }
    return new Posted(latencies, Arrays.copyOf(single, s), Arrays.copyOf(batch, b));
  }

  /** Waits until {@code expected} rows with ids like {@code pattern} are stored; fails when none arrives for 60 s. */
  private void waitUntilStored(FreshDatabase database, String pattern, long expected, Process stack) throws Exception {
    long last = -1;
    long lastChange = System.nanoTime();
    while (true) {
      long stored = count(database, pattern);
      if (stored >= expected) {
        return;
      }
      if (stored != last) {
        last = stored;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(60)) {
        throw new IllegalStateException("no progress for 60 s: " + stored + " of " + expected + " stored");
      }
      if (!stack.isAlive()) {
        throw new IllegalStateException("the local stack exited with " + stack.exitValue());
      }
      Thread.sleep(200);
    }
  }

  private static long count(FreshDatabase database, String pattern) throws SQLException {
    try (Connection c = database.connect();
         var s = c.prepareStatement("SELECT count(*) FROM ai_training_data WHERE interaction_id LIKE ?")) {
      s.setString(1, pattern);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Rows stored, distinct ids among them, rows of the measured run. */
  private static long[] totals(FreshDatabase database) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT interaction_id),"
             + " count(*) FILTER (WHERE interaction_id LIKE 'load-%') FROM ai_training_data")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  private void waitUntilUp(Process stack, HttpClient http, URI api, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    HttpRequest probe = HttpRequest.newBuilder(api.resolve("/ai/training/runs?limit=1")).timeout(Duration.ofSeconds(5))
        .GET().build();
    while (System.nanoTime() < deadline) {
      if (!stack.isAlive()) {
        throw new IllegalStateException("the local stack exited with " + stack.exitValue() + "; its log ends with:\n"
            + tail(log));
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          progress.accept("local stack up at " + api);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the local stack did not answer within 180 s; its log ends with:\n" + tail(log));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void putOrRemove(Map<String, String> env, String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The figures of {@code r} as the benchmark prints them. */
  public static String report(Result r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("load benchmark, %s UTC, %d CPUs; stack JVM: %s%n", java.time.Instant.now().toString().substring(0, 19),
        Runtime.getRuntime().availableProcessors(), r.stackJvm()));
    out.append(String.format("%d interactions in %d requests (%d single, %d batches of 2-50) from %d clients, %d retried%n",
        r.interactions(), r.requests(), r.single().requests(), r.batch().requests(), r.clients(), r.retries()));
    out.append(String.format("stored: %d rows, %d distinct ids, %d of the %d measured: %s%n", r.rowsStored(), r.distinctIds(),
        r.measuredRows(), r.interactions(), r.exactlyOnce() ? "each exactly once" : "NOT exactly once"));
    out.append(String.format("throughput: %.0f interactions/s posted (%.1f s), %.0f interactions/s stored end to end (%.1f s)%n",
        r.postedPerSecond(), r.postSeconds(), r.storedPerSecond(), r.endToEndSeconds()));
    out.append(String.format("%-26s %8s %9s %9s %9s %9s%n", "record latency (ms)", "requests", "p50", "p90", "p99", "max"));
    row(out, "all requests", r.all());
    row(out, "single interaction", r.single());
    row(out, "batch of 2-50", r.batch());
    out.append("stack heap used after full GC (MiB):\n");
    out.append(String.format("  %8s %10s %10s%n", "seconds", "stored", "heap"));
    out.append(String.format("  %8s %10s %10.1f%n", "warm-up", "-", r.warmHeapBytes() / 1048576.0));
    for (HeapSample s : r.heap()) {
      out.append(String.format("  %8.1f %10d %10.1f%n", s.seconds(), s.stored(), s.usedBytes() / 1048576.0));
    }
    out.append(String.format("heap: %.1f MiB after warm-up, %.1f MiB at the end (%+.1f %%), max %.1f MiB during the load:"
            + " %s (flat = end at most %.0f %% above warm-up)%n",
        r.warmHeapBytes() / 1048576.0, r.endHeapBytes() / 1048576.0, 100 * r.heapGrowth(),
        r.heap().stream().mapToLong(HeapSample::usedBytes).max().orElse(0) / 1048576.0,
        r.heapFlat() ? "flat" : "NOT flat", 100 * FLAT_HEAP_TOLERANCE));
    out.append(String.format("(the end sample is taken %d s after the last row was stored, the queue empty)%n",
        END_SETTLE.toSeconds()));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, Latency l) {
    out.append(String.format("%-26s %8d %9.2f %9.2f %9.2f %9.2f%n", name, l.requests(), l.p50(), l.p90(), l.p99(), l.max()));
  }

  /** The stack JVM's heap, through JMX on its local management agent (started by attaching to it). */
  private static final class Heap implements AutoCloseable {
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final String description;

    private Heap(JMXConnector connector, MemoryMXBean memory, String description) {
      this.connector = connector;
      this.memory = memory;
      this.description = description;
    }

    static Heap attach(long pid) throws Exception {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
      MBeanServerConnection server = connector.getMBeanServerConnection();
      MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
          MemoryMXBean.class);
      var runtime = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.RUNTIME_MXBEAN_NAME,
          java.lang.management.RuntimeMXBean.class);
      List<String> gcs = ManagementFactory.getPlatformMXBeans(server, java.lang.management.GarbageCollectorMXBean.class)
          .stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList();
      String description = runtime.getVmName() + " " + runtime.getSpecVersion() + ", max heap "
          + memory.getHeapMemoryUsage().getMax() / 1048576 + " MiB, " + String.join("/", gcs);
      return new Heap(connector, memory, description);
    }

    /** Heap used after a full collection, in bytes. */
    long usedAfterGc() {
      memory.gc();
      return memory.getHeapMemoryUsage().getUsed();
    }

    String describe() {
      return description;
    }

    @Override
    public void close() throws IOException {
      connector.close();
    }
  }
}
