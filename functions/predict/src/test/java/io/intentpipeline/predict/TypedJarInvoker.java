package io.intentpipeline.predict;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the Lambda Java runtime for typed handlers ({@code RequestHandler<I, O>}), run in
 * a fresh JVM whose class path is a function jar, the runtime's own event serializer
 * (aws-lambda-java-serialization, which Lambda provides) and this class: builds the handler with
 * its no-argument constructor, reads each event into {@code I} and writes each {@code O} back, as
 * the runtime does.
 *
 * <p>Arguments: the handler class, then pairs of event file and response file.
 */
public final class TypedJarInvoker {
  private TypedJarInvoker() {}

  /** {@code handlerClass (eventFile responseFile)...} */
  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getConstructor().newInstance();
    Type[] io = requestHandlerTypes(type);
    ClassLoader loader = type.getClassLoader();
    PojoSerializer<Object> in = serializer((Class<?>) io[0], loader);
    PojoSerializer<Object> out = serializer((Class<?>) io[1], loader);
    Method handle = type.getMethod("handleRequest", (Class<?>) io[0], Context.class);
    for (int k = 1; k + 1 < args.length; k += 2) {
      Object event;
      try (InputStream json = Files.newInputStream(Path.of(args[k]))) {
        event = in.fromJson(json);
      }
      var bytes = new ByteArrayOutputStream();
      try {
        out.toJson(handle.invoke(handler, event, null), bytes);
        Files.write(Path.of(args[k + 1]), bytes.toByteArray());
      } catch (java.lang.reflect.InvocationTargetException e) {
        Files.writeString(Path.of(args[k + 1]), "ERROR " + e.getCause());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
    return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
  }

  private static Type[] requestHandlerTypes(Class<?> type) {
    for (Type candidate : type.getGenericInterfaces()) {
      if (candidate instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
        return p.getActualTypeArguments();
      }
    }
    throw new IllegalArgumentException(type + " does not implement RequestHandler<I, O>");
  }
}
