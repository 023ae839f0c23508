package io.intentpipeline.local.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's top folder: {@code -Dpipeline.root} (set by the launcher), else the nearest folder with template.yaml. */
public final class ProjectRoot {
  private ProjectRoot() {}

  /** The configured root, else the nearest folder up from here holding template.yaml and the launcher, else here. */
  public static Path find() {
    String configured = System.getProperty("pipeline.root");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isRegularFile(p.resolve("pipeline"))) {
        return p;
      }
    }
    return here;
  }
}
