package io.intentpipeline.dataset;

/** A dataset file that cannot be read: says on which line (1-based) and what is wrong. */
public final class DatasetFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;

  /** {@code line} is 1-based; {@code problem} says what is wrong, without the line number. */
  public DatasetFormatException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line of the file where the problem is (a CSV record's first line). */
  public int line() {
    return line;
  }
}
