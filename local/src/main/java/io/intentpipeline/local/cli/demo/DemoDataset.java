package io.intentpipeline.local.cli.demo;

import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample dataset the project ships for the demo: customer-support messages of an online
 * shop in English and Spanish, 17 intents, written for this project (not taken from a public
 * dataset). JSON Lines with the original system's field names, one file per language under
 * {@code demo/} on the class path.
 */
public final class DemoDataset {
  /** The languages, each with its file {@code demo/shop-intents-<language>.jsonl}. */
  public static final List<String> LANGUAGES = List.of("en", "es");

  private DemoDataset() {}

  /** The samples of every language, by language, in file order. */
  public static Map<String, List<TrainingSample>> load() {
    Map<String, List<TrainingSample>> byLanguage = new LinkedHashMap<>();
    for (String language : LANGUAGES) {
      String resource = "demo/shop-intents-" + language + ".jsonl";
      try (InputStream in = DemoDataset.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("The sample dataset " + resource + " is missing from the class path");
        }
        byLanguage.put(language, JsonlFormat.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + resource, e);
      }
    }
    return byLanguage;
  }
}
