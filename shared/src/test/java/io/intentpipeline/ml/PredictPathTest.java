package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictPathTest {
  @Test
  void aPredictionAllocatesOnlyItsSmallResult() {
    // Arrange
    IntentModel model = new Trainer(TrainingProfile.DEFAULT, Fixtures.CLOCK, 2).train(Fixtures.train(), List.of(), 1).model();
    String text = "I would like to know when my new card will arrive, it has been two weeks";
    for (int i = 0; i < 20_000; i++) {
      model.predict(text, 3);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();

    // Act
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 1000; i++) {
      model.predict(text, 3);
    }
    long perCall = (threads.getThreadAllocatedBytes(id) - before) / 1000;

    // Assert: a Prediction, its list and three scores are well under 1 KB; no buffers, no substrings.
    assertThat(perCall).isLessThan(1024);
  }

  @Test
  void loadingAndPredictingNeedNeitherLiblinearNorJackson() throws Exception {
    // Arrange: a class loader that sees only this module's compiled classes and the JDK.
    byte[] file = ModelCodec.write(new Trainer(TrainingProfile.DEFAULT, Fixtures.CLOCK, 2)
        .train(Fixtures.train(), List.of(), 1).model());
    URL classes = IntentModel.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> codec = isolated.loadClass(ModelCodec.class.getName());
      Method read = codec.getMethod("read", byte[].class);

      // Act
      Object model = read.invoke(null, (Object) file);
      Object prediction = model.getClass().getMethod("predict", String.class, int.class)
          .invoke(model, "my card never arrived", 2);
      String intent = (String) prediction.getClass().getMethod("intent").invoke(prediction);

      // Assert
      assertThat(intent).isEqualTo("card_arrival");
      assertThat(isolated.getResource("de/bwaldvogel/liblinear/Linear.class")).isNull();
      assertThat(isolated.getResource("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
    }
  }
}
