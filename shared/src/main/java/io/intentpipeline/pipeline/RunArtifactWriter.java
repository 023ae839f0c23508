package io.intentpipeline.pipeline;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.storage.ArtifactStore;
import io.intentpipeline.storage.ModelStoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes the files of a run that encoded a model to the artifact store: the cleaned dataset's
 * snapshot ({@code datasets/<run id>.jsonl}), then its JSON and HTML reports ({@code reports/<run id>.*}).
 * A file that cannot be written is noted in the run's error, never fatal.
 */
final class RunArtifactWriter {
  private final ArtifactStore store;
  private final TrainingSettings settings;

  /** Writes to {@code store} the reports of runs made with {@code settings}. */
  RunArtifactWriter(ArtifactStore store, TrainingSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /**
   * Writes the files of {@code run}; {@code stageSeconds} gives the seconds of its stages, asked
   * once the snapshot is written (the report shows the record stage up to then).
   */
  FinishedRun.Artifacts write(FinishedRun run, Supplier<Map<String, Double>> stageSeconds) {
    String id = run.request().runId().toString();
    List<String> failures = new ArrayList<>();
    Optional<String> dataset;
    try {
      dataset = Optional.of(store.put("datasets/" + id + ".jsonl",
          snapshot(run.reached(StageResult.Split.class).orElseThrow().split()), "application/x-ndjson; charset=utf-8"));
    } catch (ModelStoreException e) {
      failures.add(e.getMessage());
      dataset = Optional.empty();
    }
    RunReport report = RunReport.of(run, settings, dataset, stageSeconds.get());
    Optional<String> html = writeReports(id, report, failures);
    return new FinishedRun.Artifacts(dataset, html, report.improvement().map(Json::write), failures);
  }

  /** Writes the JSON report, then the HTML one; returns where the HTML one is, or notes why not in {@code failures}. */
  private Optional<String> writeReports(String id, RunReport report, List<String> failures) {
    try {
      store.put("reports/" + id + ".json", Json.write(report.toJson()).getBytes(StandardCharsets.UTF_8),
          "application/json; charset=utf-8");
      return Optional.of(store.put("reports/" + id + ".html",
          HtmlReport.render(report).getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
    } catch (ModelStoreException e) {
      failures.add(e.getMessage());
      return Optional.empty();
    }
  }

  /** The cleaned dataset, one JSON line per sample in the seed's fields plus its {@code split}. */
  private static byte[] snapshot(DatasetSplitter.Split split) {
    StringBuilder out = new StringBuilder(split.train().size() * 200);
    Map<String, List<TrainingSample>> parts = new LinkedHashMap<>();
    parts.put("train", split.train());
    parts.put("validation", split.validation());
    parts.put("test", split.test());
    parts.forEach((name, samples) -> {
      for (TrainingSample s : samples) {
        String line = JsonlFormat.line(s);
        // One more field after the seed's: readers of the seed format ignore it.
        out.append(line, 0, line.length() - 1).append(",\"split\":\"").append(name).append("\"}\n");
      }
    });
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
