package io.intentpipeline.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JavaType;
import io.intentpipeline.config.Env;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.log.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One function of the template, run as Lambda runs it: handler instances ("containers") built
 * with the function's environment, each serving one invocation at a time, at most
 * {@code concurrency} at once; the event's JSON bytes in and the response's bytes out through
 * the handler method named in the template ({@code RequestStreamHandler}, or a typed handler
 * whose input is read with the {@link LambdaEvents} mapper); an invocation past the function's
 * Timeout fails and its container is thrown away.
 */
final class LocalFunction implements AutoCloseable {
  private final StackTemplate.FunctionSpec spec;
  private final Env env;
  private final Constructor<?> constructor;
  private final Method method;
  private final boolean stream;
  private final JavaType inputType;
  private final Semaphore permits;
  private final int concurrency;
  private final Deque<Object> idle = new ArrayDeque<>();
  private final ExecutorService workers;
  private final AtomicInteger threads = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Loads the handler class and builds the first container now, so that a misconfigured function
   * (missing class, missing variable) stops the stack at start with the reason.
   */
  LocalFunction(StackTemplate.FunctionSpec spec, Map<String, String> environment, int concurrency) {
    this.spec = spec;
    this.env = Env.of(environment);
    Class<?> type;
    try {
      type = Class.forName(spec.handlerClass());
    } catch (ClassNotFoundException e) {
      throw new TemplateException("Function " + spec.logicalId() + ": handler class " + spec.handlerClass()
          + " is not on the class path");
    }
    try {
      this.constructor = type.getConstructor(Env.class);
    } catch (NoSuchMethodException e) {
      throw new TemplateException("Function " + spec.logicalId() + ": " + spec.handlerClass()
          + " has no public constructor taking io.intentpipeline.config.Env, through which the local stack gives"
          + " it its environment");
    }
    Method found = null;
    for (Method m : type.getMethods()) {
      if (!m.getName().equals(spec.handlerMethod()) || m.isBridge() || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Class<?>[] p = m.getParameterTypes();
      boolean isStream = p.length == 3 && p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class;
      boolean isTyped = (p.length == 2 && p[1] == Context.class) || p.length == 1;
      if (isStream || (isTyped && found == null)) {
        found = m;
      }
    }
    if (found == null) {
      throw new TemplateException("Function " + spec.logicalId() + ": " + spec.handlerClass() + " has no public method "
          + spec.handlerMethod() + "(InputStream, OutputStream, Context) or " + spec.handlerMethod() + "(input, Context)");
    }
    this.method = found;
    this.stream = found.getParameterCount() == 3;
    this.inputType = stream ? null
        : LambdaEvents.mapper().getTypeFactory().constructType(found.getGenericParameterTypes()[0]);
    this.permits = new Semaphore(Math.max(concurrency, 0), true);
    this.concurrency = Math.max(concurrency, 0);
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fn-" + spec.logicalId() + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    idle.add(newContainer());
  }

  /** How many invocations of this function may run at once (its instances). */
  int concurrency() {
    return concurrency;
  }

  /** The template's logical id of this function. */
  String id() {
    return spec.logicalId();
  }

  StackTemplate.FunctionSpec spec() {
    return spec;
  }

  /** The environment the function's containers are built with. */
  Env env() {
    return env;
  }

  /**
   * Invokes the function with {@code payload} (JSON bytes) and returns the response bytes;
   * {@code trigger} ("http", "sqs", "schedule") is logged with the request id and duration.
   */
  byte[] invoke(byte[] payload, String trigger) throws InvocationException {
    String requestId = UUID.randomUUID().toString();
    if (closed) {
      throw new InvocationException("ServiceException", "The local stack is stopping", false, null);
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvocationException("ServiceException", "Interrupted while waiting for a free container", false, e);
    }
    long start = System.nanoTime();
    Object container = null;
    boolean keep = false;
    String status = "error";
    try {
      synchronized (idle) {
        container = idle.pollFirst();
      }
      if (container == null) {
        container = newContainer();
      }
      long deadline = start + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
      LocalContext context = new LocalContext(requestId, spec.functionName(), spec.memoryMb(), deadline);
      Object target = container;
      Future<byte[]> call = workers.submit(() -> call(target, payload, context));
      try {
        byte[] output = call.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        keep = true;
        status = "ok";
        return output;
      } catch (TimeoutException e) {
        call.cancel(true);
        status = "timeout";
        throw new InvocationException("Sandbox.Timedout",
            "Task timed out after " + spec.timeoutSeconds() + ".00 seconds", true, null);
      } catch (ExecutionException e) {
        keep = true;
        Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
        Log.error("invocation_failed", cause, "function", spec.logicalId(), "request_id", requestId, "trigger", trigger);
        throw new InvocationException(cause.getClass().getName(), String.valueOf(cause.getMessage()), false, cause);
      } catch (InterruptedException e) {
        call.cancel(true);
        Thread.currentThread().interrupt();
        throw new InvocationException("ServiceException", "Interrupted", false, e);
      }
    } finally {
      if (keep && container != null && !closed) {
        synchronized (idle) {
          idle.addFirst(container);
        }
      }
      permits.release();
      Log.info("invocation", "function", spec.logicalId(), "request_id", requestId, "trigger", trigger,
          "status", status, "duration_ms", (System.nanoTime() - start) / 1_000_000);
    }
  }

  private byte[] call(Object container, byte[] payload, Context context) throws Exception {
    if (stream) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      method.invoke(container, new ByteArrayInputStream(payload), out, context);
      return out.toByteArray();
    }
    Object input = LambdaEvents.mapper().readValue(payload, inputType);
    Object result = method.getParameterCount() == 2 ? method.invoke(container, input, context)
        : method.invoke(container, input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LambdaEvents.write(result, out);
    return out.toByteArray();
  }

  private Object newContainer() {
    long start = System.nanoTime();
    try {
      Object container = constructor.newInstance(env);
      Log.info("function_started", "function", spec.logicalId(), "init_ms", (System.nanoTime() - start) / 1_000_000);
      return container;
    } catch (InvocationTargetException e) {
      throw new TemplateException("Function " + spec.logicalId() + " cannot start: " + e.getCause().getMessage(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new TemplateException("Function " + spec.logicalId() + " cannot start: " + e, e);
    }
  }

  /** Refuses new invocations and waits (up to 30 s) for running ones to finish. */
  @Override
  public void close() {
    closed = true;
    workers.shutdown();
    try {
      workers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (idle) {
      for (Object container : idle) {
        if (container instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            Log.warn("function_close_failed", "function", spec.logicalId(), "exception", e.getClass().getName());
          }
        }
      }
      idle.clear();
    }
  }
}
