package io.intentpipeline.reliability.fuzz;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.TrainingSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset files, as {@code ./pipeline train --data FILE} reads them ({@link DatasetFiles#read}, then
 * {@link DatasetCleaner#clean}):
 * generated JSONL and CSV files of valid and broken records, damaged text, invalid UTF-8 and
 * random bytes. Each must read as samples (every one with a non-blank message free of NUL and lone
 * surrogates, and an intent) or fail with {@link DatasetFormatException} naming the line; nothing
 * else may come out.
 */
class DatasetFileFuzzTest {
  @Test
  void everyDatasetFileReadsAsSamplesOrFailsWithTheLine(@TempDir Path dir) throws Exception {
    Fuzz fuzz = new Fuzz("dataset-file");
    Tally tally = new Tally("dataset files (DatasetFiles.read, ./pipeline train --data)", fuzz.seed);
    int n = fuzz.iterations(3000);
    for (int i = 0; i < n; i++) {
      boolean csv = fuzz.chance(0.5);
      String text = csv ? csv(fuzz) : jsonl(fuzz);
      String kind;
      byte[] bytes;
      switch (fuzz.nextInt(6)) {
        case 0 -> {
          kind = "damaged";
          bytes = fuzz.damage(text).getBytes(StandardCharsets.UTF_8);
        }
        case 1 -> {
          kind = "invalid UTF-8";
          bytes = fuzz.invalidUtf8(text);
        }
        case 2 -> {
          kind = "random bytes";
          bytes = fuzz.randomBytes(400);
        }
        default -> {
          kind = "generated";
          bytes = HttpFuzzer.delivered(text).getBytes(StandardCharsets.UTF_8);
        }
      }
      Path file = dir.resolve("data-" + (i % 8) + (csv ? ".csv" : ".jsonl"));
      Files.write(file, bytes);
      String shown = new String(bytes, StandardCharsets.UTF_8);
      try {
        CsvFormat.Columns columns = csv && fuzz.chance(0.3) ? new CsvFormat.Columns("utterance", "label")
            : CsvFormat.Columns.auto();
        // As TrainCommand does: read, then clean (blank texts dropped, whitespace normalised).
        List<TrainingSample> samples = DatasetCleaner.clean(DatasetFiles.read(file, columns)).samples();
        String problem = null;
        for (TrainingSample s : samples) {
          if (s.userMessage().isBlank() || s.userMessage().indexOf('\0') >= 0 || hasLoneSurrogate(s.userMessage())
              || s.intent().isBlank()) {
            problem = "a sample read with a blank or invalid text or intent: " + s;
          }
        }
        if (problem == null) {
          tally.answered(true, kind + " (" + (csv ? "csv" : "jsonl") + "): read");
        } else {
          tally.failed(i, problem, shown);
        }
      } catch (DatasetFormatException e) {
        if (e.getMessage().isBlank() || e.line() < 1) {
          tally.failed(i, "a format error without its line: " + e, shown);
        } else {
          tally.answered(false, kind + " (" + (csv ? "csv" : "jsonl") + "): format error");
        }
      } catch (Throwable e) {
        tally.failed(i, kind + ": " + e, shown);
      }
    }
    tally.report();
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
        k++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String jsonl(Fuzz fuzz) {
    StringBuilder out = new StringBuilder();
    int lines = 1 + fuzz.nextInt(10);
    for (int l = 0; l < lines; l++) {
      var record = Fuzz.NODES.objectNode();
      // Most lines valid, so that whole files get read as well as refused.
      record.put("user_message", fuzz.chance(0.93) ? fuzz.validText(20) : fuzz.nastyText());
      record.put("intent", fuzz.chance(0.95) ? "card_arrival" : fuzz.oddIntent());
      if (fuzz.chance(0.08)) {
        record.set(fuzz.pick(new String[] {"confidence_score", "created_at", "source", "was_corrected", "was_escalated",
            "response", "category"}), fuzz.anyValue(0));
      }
      out.append(switch (fuzz.nextInt(30)) {
        case 0 -> fuzz.write(fuzz.mutate(record, java.util.Map.of()));
        case 1 -> "{\"user_message\":\"" + fuzz.pick(new String[] {"\\u0000x", "\\ud800", "a\\udc00b", "  "})
            + "\",\"intent\":\"card_arrival\"}";
        default -> fuzz.write(record);
      }).append(fuzz.chance(0.1) ? "\r\n" : "\n");
    }
    return out.toString();
  }

  private static String csv(Fuzz fuzz) {
    StringBuilder out = new StringBuilder(fuzz.chance(0.6) ? "text,label" : fuzz.pick(new String[] {
        "user_message,intent", "text,label", "utterance,label", "a,b,c", "", "text", "\uFEFFtext,label", "text,text"}))
        .append('\n');
    int lines = 1 + fuzz.nextInt(10);
    for (int l = 0; l < lines; l++) {
      String text = fuzz.chance(0.93) ? fuzz.validText(20) : fuzz.nastyText();
      String label = fuzz.chance(0.95) ? "card_arrival" : fuzz.oddIntent();
      String quoted = "\"" + text.replace("\"", "\"\"") + "\"";
      out.append(switch (fuzz.chance(0.8) ? 4 : fuzz.nextInt(6)) {
        case 0 -> text + "," + label;
        case 1 -> quoted + "," + label + ",extra";
        case 2 -> "\"unterminated " + text;
        case 3 -> quoted;
        default -> quoted + "," + label;
      }).append(fuzz.chance(0.2) ? "\r\n" : "\n");
    }
    return out.toString();
  }
}
