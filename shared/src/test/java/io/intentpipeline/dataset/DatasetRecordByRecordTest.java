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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading record by record keeps the good records of a file with bad ones, each reported by line. */
class DatasetRecordByRecordTest {
  /** What a sink received, in order. */
  static final class Collected implements SampleSink {
    final List<Integer> lines = new ArrayList<>();
    final List<TrainingSample> samples = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    @Override
    public void sample(int line, TrainingSample sample) {
      lines.add(line);
      samples.add(sample);
    }

    @Override
    public void invalid(DatasetFormatException problem) {
      problems.add(problem.getMessage());
    }
  }

  @Test
  void jsonlHandsOverEveryGoodLineAndEveryBadOneWithItsNumber() throws Exception {
    // Arrange
    String file = """
        {"user_message": "where is my card", "intent": "card_arrival"}
        {oops

        {"user_message": "a", "intent": "has space"}
        {"user_message": "top up failed", "intent": "top_up_failed", "confidence_score": 40}
        {"user_message": "b", "intent": "x", "confidence_score": 101}
        """;
    Collected sink = new Collected();

    // Act
    JsonlFormat.readEach(new BufferedReader(new StringReader(file)), sink);

    // Assert
    assertThat(sink.lines).containsExactly(1, 5);
    assertThat(sink.samples).extracting(TrainingSample::intent).containsExactly("card_arrival", "top_up_failed");
    assertThat(sink.problems).hasSize(3);
    assertThat(sink.problems.get(0)).startsWith("line 2: not valid JSON");
    assertThat(sink.problems.get(1)).startsWith("line 4: field 'intent' is not a valid intent name");
    assertThat(sink.problems.get(2)).isEqualTo("line 6: field 'confidence_score' must be between 0 and 100, got 101");
  }

  @Test
  void csvHandsOverEveryGoodRecordAndEveryBadOneWithTheLineItStartsOn() throws Exception {
    // Arrange: a quoted record over two lines, a short record, a bad quote, an empty label.
    String file = "text,category\r\n"
        + "\"two\nlines\",card_arrival\r\n"
        + "only one field\r\n"
        + "\"closed\"then more,x\r\n"
        + "fine again,exchange_rate\r\n"
        + "no label,\r\n"
        + "last,pin_blocked";
    Collected sink = new Collected();

    // Act
    CsvFormat.readEach(new StringReader(file), CsvFormat.Columns.auto(), sink);

    // Assert
    assertThat(sink.lines).containsExactly(2, 6, 8);
    assertThat(sink.samples).extracting(TrainingSample::userMessage).containsExactly("two\nlines", "fine again", "last");
    assertThat(sink.problems).containsExactly(
        "line 4: expected 2 fields as in the header, found 1",
        "line 5: unexpected character after a closing quote in field 1",
        "line 7: field 'category' is missing or empty");
  }

  @Test
  void aQuoteNeverClosedIsReportedOnceAndEndsTheFile() throws Exception {
    Collected sink = new Collected();

    CsvFormat.readEach(new StringReader("text,category\na,b\n\"open,c\nd,e\n"), CsvFormat.Columns.auto(), sink);

    assertThat(sink.samples).extracting(TrainingSample::userMessage).containsExactly("a");
    assertThat(sink.problems).containsExactly("line 3: a quoted field is not closed before the end of the file");
  }

  @Test
  void aHeaderWithoutTheNamedColumnsFailsTheWholeFile() {
    Collected sink = new Collected();

    assertThatThrownBy(() -> CsvFormat.readEach(new StringReader("utterance,label\na,b\n"),
        new CsvFormat.Columns("text", null), sink))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("line 1: the header has no text column named 'text'");
    assertThat(sink.samples).isEmpty();
  }

  @Test
  void strictReadingStillStopsAtTheFirstBadRecord() {
    assertThatThrownBy(() -> CsvFormat.read(new StringReader("text,category\na,b\nc,\nd,e\n"), CsvFormat.Columns.auto()))
        .hasMessage("line 3: field 'category' is missing or empty");
    assertThatThrownBy(() -> JsonlFormat.read(new BufferedReader(new StringReader("{\"user_message\":\"a\",\"intent\":\"b\"}\n[]\n"))))
        .hasMessage("line 2: expected a JSON object");
  }

  @Test
  void aFileIsReadRecordByRecordAndMustBeUtf8(@TempDir Path dir) throws Exception {
    // Arrange
    Path good = dir.resolve("data.jsonl");
    Files.writeString(good, "{\"user_message\":\"caf\u00e9\",\"intent\":\"coffee\"}\nnot json\n");
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, "text,category\ncaf\u00e9,x\n".getBytes(StandardCharsets.ISO_8859_1));
    Collected sink = new Collected();

    // Act
    DatasetFiles.readEach(good, DatasetFiles.Format.JSONL, CsvFormat.Columns.auto(), sink);

    // Assert
    assertThat(sink.samples).extracting(TrainingSample::userMessage).containsExactly("caf\u00e9");
    assertThat(sink.problems).singleElement().asString().startsWith("line 2: not valid JSON");
    assertThatThrownBy(() -> DatasetFiles.readEach(latin1, DatasetFiles.Format.CSV, CsvFormat.Columns.auto(), new Collected()))
        .isInstanceOf(DatasetFormatException.class).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void recordByRecordWritingGivesTheSameCsvAsWritingAList() throws Exception {
    // Arrange
    List<TrainingSample> samples = List.of(
        new TrainingSample("Hello, \"you\"", "greeting", "hi", 80, "misc", true, false, "live",
            Instant.parse("2026-01-02T03:04:05Z")),
        TrainingSample.of(" spaced ", "other"));
    StringWriter whole = new StringWriter();
    StringWriter oneByOne = new StringWriter();

    // Act
    CsvFormat.write(samples, whole);
    CsvFormat.writeHeader(oneByOne);
    for (TrainingSample sample : samples) {
      CsvFormat.writeRecord(sample, oneByOne);
    }

    // Assert
    assertThat(oneByOne.toString()).isEqualTo(whole.toString());
    assertThat(CsvFormat.read(new StringReader(oneByOne.toString()), CsvFormat.Columns.auto())).isEqualTo(samples);
  }
}
