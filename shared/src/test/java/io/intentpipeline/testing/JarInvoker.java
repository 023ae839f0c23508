package io.intentpipeline.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the Lambda Java runtime, run in a fresh JVM whose class path is a function jar
 * (plus this class): builds the handler with its no-argument constructor, as Lambda does, and
 * invokes it once per event, in one process, like a warm container.
 *
 * <p>Arguments: the handler class, then pairs of event file and response file. Uses the JDK only.
 */
public final class JarInvoker {
  private JarInvoker() {}

  /** {@code handlerClass (eventFile responseFile)...} */
  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getConstructor().newInstance();
    Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context");
    Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, context);
    for (int k = 1; k + 1 < args.length; k += 2) {
      var out = new ByteArrayOutputStream();
      try {
        handle.invoke(handler, new ByteArrayInputStream(Files.readAllBytes(Path.of(args[k]))), out, null);
        Files.write(Path.of(args[k + 1]), out.toByteArray());
      } catch (java.lang.reflect.InvocationTargetException e) {
        Files.writeString(Path.of(args[k + 1]), "ERROR " + e.getCause());
      }
    }
  }
}
