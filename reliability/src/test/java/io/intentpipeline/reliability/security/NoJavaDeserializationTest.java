package io.intentpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Model files (and anything else) never go through Java deserialization: no main class of shared,
 * the functions or the command-line tool refers to {@code java.io.ObjectInputStream} (or the
 * {@code ObjectInput} interface, {@code XMLDecoder}, or Jackson's default typing, the JSON way to
 * the same hole), and a Java-serialized object stream given to the model reader is refused as not
 * a model file.
 */
class NoJavaDeserializationTest {
  private static final List<String> FORBIDDEN = List.of("java/io/ObjectInput", "java/beans/XMLDecoder",
      "activateDefaultTyping", "enableDefaultTyping");

  /** The detector's fixture: a class that deserializes, which the scan must find. */
  static final class Deserializes {
    Object read(byte[] bytes) throws IOException, ClassNotFoundException {
      try (var in = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
        return in.readObject();
      }
    }
  }

  @Test
  void theScanFindsAClassThatDeserializes() throws IOException {
    assertThat(forbidden(SqlBuiltFromConstantsTest.classBytes(Deserializes.class))).contains("java/io/ObjectInput");
    assertThat(forbidden(SqlBuiltFromConstantsTest.classBytes(SqlFixtures.Constant.class))).isEmpty();
  }

  @Test
  void noMainClassRefersToJavaDeserialization() throws IOException {
    // Arrange
    Path root = Events.projectRoot();
    List<Path> dirs = new ArrayList<>(List.of(root.resolve("shared/target/classes"), root.resolve("local/target/classes")));
    try (Stream<Path> functions = Files.list(root.resolve("functions"))) {
      functions.filter(Files::isDirectory).sorted().forEach(f -> dirs.add(f.resolve("target/classes")));
    }

    // Act
    List<String> found = new ArrayList<>();
    int classes = 0;
    for (Path dir : dirs) {
      assertThat(dir).as("compiled classes (build with -am)").isDirectory();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
          classes++;
          for (String name : forbidden(Files.readAllBytes(file))) {
            found.add(root.relativize(file) + " refers to " + name);
          }
        }
      }
    }

    // Assert
    System.out.printf("security deserialization: %d main classes in %d folders, %d refer to %s%n", classes,
        dirs.size(), found.size(), FORBIDDEN);
    assertThat(classes).isGreaterThan(100);
    assertThat(found).isEmpty();
  }

  @Test
  void aJavaSerializedObjectStreamIsNotAModelFile() throws IOException {
    // Arrange: what a pickled model would look like in Java.
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      HashMap<String, Object> model = new HashMap<>();
      model.put("intents", new ArrayList<>(List.of("card_arrival", "refund_request")));
      model.put("weights", new double[] {0.5, -0.5});
      out.writeObject(model);
    }

    // Act / Assert
    assertThatThrownBy(() -> ModelCodec.read(bytes.toByteArray())).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not a model file");
  }

  /**
   * The forbidden names in a class file's constant pool: class references and descriptors are
   * stored there as UTF-8 text, so a reference cannot hide from a byte search.
   */
  static List<String> forbidden(byte[] classFile) {
    String text = new String(classFile, StandardCharsets.ISO_8859_1);
    return FORBIDDEN.stream().filter(text::contains).toList();
  }
}
