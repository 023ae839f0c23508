package io.intentpipeline.dataset;

/**
 * Receives the records of a dataset file one at a time, as they are read, so that a file of any
 * size is read in constant memory and a bad record does not stop the rest from being read.
 */
public interface SampleSink {
  /** A valid record that starts on the 1-based {@code line}. */
  void sample(int line, TrainingSample sample);

  /** A record that cannot be read: its line and what is wrong. Reading goes on with the next record. */
  void invalid(DatasetFormatException problem);

  /** A sink that fails on the first bad record (what {@code read} does). */
  static SampleSink strict(java.util.function.Consumer<TrainingSample> samples) {
    return new SampleSink() {
      @Override
      public void sample(int line, TrainingSample sample) {
        samples.accept(sample);
      }

      @Override
      public void invalid(DatasetFormatException problem) {
        throw problem;
      }
    };
  }
}
