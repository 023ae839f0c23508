package io.intentpipeline.testing;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the sample events of {@code events/} the way the Lambda Java runtime reads an
 * invocation: through its own event serializers, so a fixture that works here works in AWS.
 */
public final class Events {
  private Events() {}

  /** The project's top folder (the one holding {@code events/}). */
  public static Path projectRoot() {
    String configured = System.getProperty("project.root");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("events")) && Files.isRegularFile(p.resolve("template.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException("Cannot find the project root (a folder with events/ and template.yaml) from " + start);
  }

  /** {@code events/<file>} deserialised as {@code type}. */
  public static <T> T load(String file, Class<T> type) {
    Path path = projectRoot().resolve("events").resolve(file);
    try (InputStream in = Files.newInputStream(path)) {
      return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read event " + path, e);
    }
  }

  /** {@code json} deserialised as {@code type}, as the Lambda runtime would. */
  public static <T> T fromJson(String json, Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).fromJson(json);
  }

  /** {@code event} serialised as the Lambda runtime would. */
  public static <T> String toJson(T event, Class<T> type) {
    var out = new java.io.ByteArrayOutputStream();
    LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).toJson(event, out);
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
