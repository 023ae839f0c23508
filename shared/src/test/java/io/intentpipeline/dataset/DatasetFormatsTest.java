package io.intentpipeline.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFormatsTest {
  private static final TrainingSample FULL = new TrainingSample("Where is my card, \"please\"?\nThanks", "card_arrival",
      "It ships in 3 days, sorry", 73, "cards", true, true, "live", Instant.parse("2025-03-04T05:06:07Z"));

  private static List<TrainingSample> jsonl(String text) throws Exception {
    return JsonlFormat.read(new BufferedReader(new StringReader(text)));
  }

  private static List<TrainingSample> csv(String text, CsvFormat.Columns columns) throws Exception {
    return CsvFormat.read(new StringReader(text), columns);
  }

  @Test
  void jsonlReadsTheSeedFieldNamesAndSkipsBlankLines() throws Exception {
    // Act
    List<TrainingSample> samples = jsonl("""
        {"user_message": "hi", "intent": "greeting", "confidence_score": 90, "was_corrected": true, "source": "live"}

        {"user_message": "bye", "intent": "farewell"}
        """);

    // Assert
    assertThat(samples).hasSize(2);
    assertThat(samples.get(0)).isEqualTo(new TrainingSample("hi", "greeting", "", 90, "", false, true, "live", null));
    assertThat(samples.get(1).source()).isEqualTo("imported");
    assertThat(samples.get(1).confidenceScore()).isNull();
  }

  @Test
  void jsonlErrorsNameTheLineAndTheProblem() {
    assertThatThrownBy(() -> jsonl("{\"user_message\": \"a\", \"intent\": \"x\"}\n{oops\n"))
        .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith("line 2: not valid JSON")
        .extracting(e -> ((DatasetFormatException) e).line()).isEqualTo(2);
    assertThatThrownBy(() -> jsonl("\n\n{\"intent\": \"x\"}"))
        .hasMessage("line 3: field 'user_message' is missing");
    assertThatThrownBy(() -> jsonl("{\"user_message\": \"a\", \"intent\": \"\"}"))
        .hasMessage("line 1: field 'intent' is missing or empty");
    assertThatThrownBy(() -> jsonl("{\"user_message\": \"a\", \"intent\": \"has space\"}"))
        .hasMessageStartingWith("line 1: field 'intent' is not a valid intent name");
    assertThatThrownBy(() -> jsonl("{\"user_message\": \"a\", \"intent\": \"x\", \"confidence_score\": 101}"))
        .hasMessage("line 1: field 'confidence_score' must be between 0 and 100, got 101");
    assertThatThrownBy(() -> jsonl("{\"user_message\": 5, \"intent\": \"x\"}"))
        .hasMessage("line 1: field 'user_message' must be a string");
    assertThatThrownBy(() -> jsonl("{\"user_message\": \"a\\u0000b\", \"intent\": \"x\"}"))
        .hasMessage("line 1: field 'user_message' contains a NUL character");
    assertThatThrownBy(() -> jsonl("{\"user_message\": \"a\", \"intent\": \"x\", \"source\": \"web\"}"))
        .hasMessageStartingWith("line 1: field 'source' must be live, imported or synthetic");
    assertThatThrownBy(() -> jsonl("[1, 2]")).hasMessage("line 1: expected a JSON object");
  }

  @Test
  void bothFormatsRoundTripEveryField(@TempDir Path dir) throws Exception {
    for (String name : List.of("data.jsonl", "data.csv")) {
      // Arrange
      Path file = dir.resolve(name);
      List<TrainingSample> samples = List.of(FULL, TrainingSample.of(" leading space, and comma", "other"));

      // Act
      DatasetFiles.write(samples, file);
      List<TrainingSample> back = DatasetFiles.read(file, CsvFormat.Columns.auto());

      // Assert
      assertThat(back).isEqualTo(samples);
    }
  }

  @Test
  void csvReadsBanking77sHeaderAndQuotedFields() throws Exception {
    // Act
    List<TrainingSample> samples = csv("text,category\r\n"
        + "I am still waiting on my card?,card_arrival\r\n"
        + "\"Hello, \"\"quoted\"\"\nsecond line\",reverted_card_payment?\n", CsvFormat.Columns.auto());

    // Assert
    assertThat(samples).extracting(TrainingSample::userMessage)
        .containsExactly("I am still waiting on my card?", "Hello, \"quoted\"\nsecond line");
    assertThat(samples).extracting(TrainingSample::intent).containsExactly("card_arrival", "reverted_card_payment?");
  }

  @Test
  void csvColumnsCanBeNamed() throws Exception {
    // Act
    List<TrainingSample> samples = csv("id,utterance,label\n1,hello there,greeting\n", new CsvFormat.Columns("utterance", "label"));

    // Assert
    assertThat(samples).containsExactly(TrainingSample.of("hello there", "greeting"));
  }

  @Test
  void csvErrorsNameTheLineWhereTheRecordStarts() {
    assertThatThrownBy(() -> csv("text,category\na,b\n\"multi\nline\",x,extra\n", CsvFormat.Columns.auto()))
        .hasMessage("line 3: expected 2 fields as in the header, found 3");
    assertThatThrownBy(() -> csv("text,category\na,b\n\"never closed,x\n", CsvFormat.Columns.auto()))
        .hasMessage("line 3: a quoted field is not closed before the end of the file");
    assertThatThrownBy(() -> csv("message,intent_name\na,b\n", CsvFormat.Columns.auto()))
        .hasMessageStartingWith("line 1: the header has no text column");
    assertThatThrownBy(() -> csv("text,category\na,b\n", new CsvFormat.Columns("body", null)))
        .hasMessage("line 1: the header has no text column named 'body'");
    assertThatThrownBy(() -> csv("text,category\na,b\nc,\n", CsvFormat.Columns.auto()))
        .hasMessage("line 3: field 'category' is missing or empty");
    assertThatThrownBy(() -> csv("", CsvFormat.Columns.auto()))
        .hasMessage("line 1: the file is empty: a header line is required");
    assertThatThrownBy(() -> csv("text,category\n\"a\"b,c\n", CsvFormat.Columns.auto()))
        .hasMessageStartingWith("line 2: unexpected character after a closing quote");
  }

  @Test
  void filesThatAreNotUtf8OrOfAnUnknownKindAreRefused(@TempDir Path dir) throws Exception {
    // Arrange
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, "text,category\ncaf\u00e9,x\n".getBytes(StandardCharsets.ISO_8859_1));

    // Act / Assert
    assertThatThrownBy(() -> DatasetFiles.read(latin1, CsvFormat.Columns.auto()))
        .isInstanceOf(DatasetFormatException.class).hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> DatasetFiles.read(dir.resolve("data.txt"), CsvFormat.Columns.auto()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".jsonl");
  }

  @Test
  void jsonlLinesUseTheSeedNames() {
    // Act
    StringWriter out = new StringWriter();
    JsonlFormat.write(List.of(FULL), out);

    // Assert
    assertThat(out.toString()).startsWith("{\"user_message\":").contains("\"intent\":\"card_arrival\"",
        "\"confidence_score\":73", "\"was_escalated\":true", "\"was_corrected\":true", "\"source\":\"live\"",
        "\"created_at\":\"2025-03-04T05:06:07Z\"").endsWith("}\n");
  }
}
