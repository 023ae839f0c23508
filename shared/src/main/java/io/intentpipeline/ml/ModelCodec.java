package io.intentpipeline.ml;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes and reads the model file: a versioned, self-describing binary format (never Java
 * serialization), big-endian.
 *
 * <pre>
 * magic     8 bytes  "INTENTML"
 * version   u16      {@link #FORMAT_VERSION} (readers also accept 1 and 2)
 * sections  tag (4 ASCII bytes), payload length (u32), payload; in this order:
 *   META  run id, model version, profile, created (i64 epoch ms), training config JSON, metrics JSON
 *   INTS  intent count (u32), intents
 *   FEAT  sublinear tf (u8), block count (u32); per block: kind (u8: 0 word, 1 char_wb), min n,
 *         max n, min token length (u8 each), term count (u32), terms; then the IDF of every
 *         feature (f64)
 *   WGHT  encoding (u8: 0 float32, 1 int8 with one f32 scale per feature), features (u32),
 *         classes (u32), weights feature-major, then one bias per class (f64)
 *   CALB  method (u8: 1 temperature + T (f64); 2 sigmoid + a[classes], b[classes] (f64))
 *   ACTN  the answer policy: out-of-scope intent (string), score (u8: 0 top_confidence, 1
 *         top_of_two), threshold, clarify threshold, clarify closeness, target accuracy, expected
 *         coverage, expected accuracy, expected clarify share, expected clarify accuracy (f64 each,
 *         NaN when unknown), held-out samples (u32)
 *   SUM   CRC-32C (u32) of every byte before this section; always last
 * strings   length in bytes (u32) + UTF-8; terms: length (unsigned LEB128) + UTF-8
 * </pre>
 *
 * Version 1 (the first format) had no metrics in META, always float32 weights without an
 * encoding byte, and only a temperature (f64) in CALB. Versions 1 and 2 had no ACTN: such a model
 * gets {@link AnswerPolicy#NONE} (always answer, except the out-of-scope intent). A file that is truncated, altered, of
 * another kind or of a newer version fails with {@link ModelFormatException}.
 */
public final class ModelCodec {
  /** The version this class writes. */
  public static final int FORMAT_VERSION = 3;
  /** The extension of model files, locally and in S3 ({@code models/intent_classifier_latest.model}). */
  public static final String FILE_EXTENSION = "model";
  static final byte[] MAGIC = "INTENTML".getBytes(StandardCharsets.US_ASCII);
  private static final int SUM_SECTION = 12;

  private ModelCodec() {}

  /** The model file's bytes. */
  public static byte[] write(IntentModel model) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeShort(FORMAT_VERSION);
      section(out, "META", s -> {
        ModelMetadata m = model.metadata();
        string(s, m.runId());
        string(s, m.modelVersion());
        string(s, m.profile());
        s.writeLong(m.createdAt().toEpochMilli());
        string(s, m.trainingConfig());
        string(s, m.metrics());
      });
      section(out, "INTS", s -> {
        List<String> intents = model.intents();
        s.writeInt(intents.size());
        for (String intent : intents) {
          string(s, intent);
        }
      });
      section(out, "FEAT", s -> features(s, model.vectorizer()));
      section(out, "WGHT", s -> {
        LinearWeights w = model.weights();
        if (w instanceof LinearWeights.Float32 f) {
          s.writeByte(0);
          s.writeInt(f.features());
          s.writeInt(f.classes());
          for (float v : f.w()) {
            s.writeFloat(v);
          }
        } else if (w instanceof LinearWeights.Int8 q) {
          s.writeByte(1);
          s.writeInt(q.features());
          s.writeInt(q.classes());
          for (float v : q.scale()) {
            s.writeFloat(v);
          }
          s.write(q.q());
        }
        for (double b : model.biases()) {
          s.writeDouble(b);
        }
      });
      section(out, "CALB", s -> {
        Calibration c = model.calibration();
        if (c instanceof Calibration.Temperature t) {
          s.writeByte(1);
          s.writeDouble(t.temperature());
        } else if (c instanceof Calibration.Platt p) {
          s.writeByte(2);
          for (double v : p.a()) {
            s.writeDouble(v);
          }
          for (double v : p.b()) {
            s.writeDouble(v);
          }
        }
      });
      section(out, "ACTN", s -> {
        AnswerPolicy p = model.policy();
        string(s, p.outOfScopeIntent());
        s.writeByte(p.score().ordinal());
        s.writeDouble(p.threshold());
        s.writeDouble(p.clarifyThreshold());
        s.writeDouble(p.clarifyCloseness());
        s.writeDouble(p.targetAccuracy());
        s.writeDouble(p.expectedCoverage());
        s.writeDouble(p.expectedAccuracy());
        s.writeDouble(p.expectedClarify());
        s.writeDouble(p.expectedClarifyAccuracy());
        s.writeInt(p.heldOutSamples());
      });
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeBytes("SUM ");
      out.writeInt(4);
      out.writeInt((int) crc.getValue());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the model file to {@code file} (replacing it) and returns its size in bytes. */
  public static long write(IntentModel model, Path file) throws IOException {
    byte[] bytes = write(model);
    Files.write(file, bytes);
    return bytes.length;
  }

  /** Reads a model file. */
  public static IntentModel read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  /** Reads a model file from a stream (read to its end). */
  public static IntentModel read(InputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  /** Reads a model file's bytes, checking its checksum first. */
  public static IntentModel read(byte[] bytes) throws ModelFormatException {
    int header = MAGIC.length + 2;
    if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new ModelFormatException("not a model file (the file does not start with INTENTML)");
    }
    if (bytes.length < header + SUM_SECTION) {
      throw new ModelFormatException("model file is truncated (" + bytes.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(MAGIC.length);
    int version = in.getShort() & 0xffff;
    if (version < 1 || version > FORMAT_VERSION) {
      throw new ModelFormatException("model file format version " + version + " is not supported (this reader: 1 to "
          + FORMAT_VERSION + ")");
    }
    int sumAt = bytes.length - SUM_SECTION;
    if (!"SUM ".equals(new String(bytes, sumAt, 4, StandardCharsets.US_ASCII))
        || ByteBuffer.wrap(bytes, sumAt + 4, 4).getInt() != 4) {
      throw new ModelFormatException("model file is truncated: its checksum section is missing");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, sumAt);
    int stored = ByteBuffer.wrap(bytes, sumAt + 8, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new ModelFormatException("model file is corrupt: checksum mismatch (the file was altered or damaged)");
    }
    try {
      return parse(in, version, sumAt);
    } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new ModelFormatException("model file is malformed: " + e);
    }
  }

  private static IntentModel parse(ByteBuffer in, int version, int end) throws ModelFormatException {
    ModelMetadata metadata = null;
    List<String> intents = null;
    Vectorizer vectorizer = null;
    LinearWeights weights = null;
    double[] biases = null;
    Calibration calibration = null;
    AnswerPolicy policy = AnswerPolicy.NONE;
    while (in.position() < end) {
      String tag = new String(new byte[] {in.get(), in.get(), in.get(), in.get()}, StandardCharsets.US_ASCII);
      int length = in.getInt();
      if (length < 0 || length > end - in.position()) {
        throw new ModelFormatException("model file is malformed: section " + tag + " overruns the file");
      }
      int next = in.position() + length;
      switch (tag) {
        case "META" -> {
          String runId = string(in);
          String modelVersion = string(in);
          String profile = string(in);
          Instant created = Instant.ofEpochMilli(in.getLong());
          String config = string(in);
          String metrics = version >= 2 ? string(in) : "{}";
          metadata = new ModelMetadata(runId, modelVersion, profile, created, config, metrics);
        }
        case "INTS" -> {
          int n = count(in, 2);
          intents = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            intents.add(string(in));
          }
        }
        case "FEAT" -> vectorizer = features(in);
        case "WGHT" -> {
          int encoding = version >= 2 ? in.get() : 0;
          int features = count(in, 0);
          int classes = count(in, 0);
          long cells = (long) features * classes;
          if (encoding == 0) {
            if (cells * 4 > in.remaining()) {
              throw new ModelFormatException("model file is malformed: weights overrun the file");
            }
            float[] w = new float[(int) cells];
            in.asFloatBuffer().get(w);
            in.position(in.position() + w.length * 4);
            weights = new LinearWeights.Float32(features, classes, w);
          } else if (encoding == 1) {
            if (cells + features * 4L > in.remaining()) {
              throw new ModelFormatException("model file is malformed: weights overrun the file");
            }
            float[] scale = new float[features];
            in.asFloatBuffer().get(scale);
            in.position(in.position() + features * 4);
            byte[] q = new byte[(int) cells];
            in.get(q);
            weights = new LinearWeights.Int8(features, classes, q, scale);
          } else {
            throw new ModelFormatException("model file is malformed: unknown weight encoding " + encoding);
          }
          biases = doubles(in, classes);
        }
        case "CALB" -> {
          int method = version >= 2 ? in.get() : 1;
          if (method == 1) {
            calibration = new Calibration.Temperature(in.getDouble());
          } else if (method == 2) {
            int k = (next - in.position()) / 16;
            calibration = new Calibration.Platt(doubles(in, k), doubles(in, k));
          } else {
            throw new ModelFormatException("model file is malformed: unknown calibration method " + method);
          }
        }
        case "ACTN" -> {
          String outOfScope = string(in);
          int score = in.get();
          if (score < 0 || score >= AnswerPolicy.Score.values().length) {
            throw new ModelFormatException("model file is malformed: unknown answer score " + score);
          }
          double[] v = doubles(in, 8);
          policy = new AnswerPolicy(outOfScope, AnswerPolicy.Score.values()[score], v[0], v[1], v[2], v[3], v[4],
              v[5], v[6], v[7], count(in, 0));
        }
        default -> { } // a section this reader does not know: skipped
      }
      if (in.position() != next) {
        throw new ModelFormatException("model file is malformed: section " + tag + " has a wrong length");
      }
    }
    if (metadata == null || intents == null || vectorizer == null || weights == null || calibration == null) {
      throw new ModelFormatException("model file is malformed: a required section is missing");
    }
    if (calibration instanceof Calibration.Platt p && p.a().length != intents.size()) {
      throw new ModelFormatException("model file is malformed: calibration does not match the intents");
    }
    requireFinite(vectorizer, weights, biases, calibration);
    return new IntentModel(metadata, intents, vectorizer, weights, biases, calibration, policy);
  }

  /**
   * Every number a prediction computes with is finite: one NaN or infinity (in a file whose checksum
   * was recomputed, or written by a broken trainer) would make every confidence NaN, which is not
   * even JSON.
   */
  private static void requireFinite(Vectorizer vectorizer, LinearWeights weights, double[] biases,
                                    Calibration calibration) throws ModelFormatException {
    for (int f = 0; f < vectorizer.featureCount(); f++) {
      finite(vectorizer.idf(f), "an IDF value");
    }
    if (weights instanceof LinearWeights.Float32 w) {
      for (float v : w.w()) {
        finite(v, "a weight");
      }
    } else if (weights instanceof LinearWeights.Int8 q) {
      for (float v : q.scale()) {
        finite(v, "a weight scale");
      }
    }
    for (double b : biases) {
      finite(b, "a bias");
    }
    if (calibration instanceof Calibration.Temperature t) {
      finite(t.temperature(), "the calibration temperature");
    } else if (calibration instanceof Calibration.Platt p) {
      for (double v : p.a()) {
        finite(v, "a calibration coefficient");
      }
      for (double v : p.b()) {
        finite(v, "a calibration coefficient");
      }
    }
  }

  private static void finite(double value, String what) throws ModelFormatException {
    if (!Double.isFinite(value)) {
      throw new ModelFormatException("model file is malformed: " + what + " is not a finite number");
    }
  }

  private static void features(DataOutputStream s, Vectorizer v) throws IOException {
    s.writeByte(v.sublinearTf() ? 1 : 0);
    FeatureBlock[] blocks = v.blocks();
    s.writeInt(blocks.length);
    for (int b = 0; b < blocks.length; b++) {
      FeatureBlock block = blocks[b];
      s.writeByte(block.kind() == FeatureBlock.Kind.WORD ? 0 : 1);
      s.writeByte(block.minN());
      s.writeByte(block.maxN());
      s.writeByte(Math.min(255, block.minTokenLength()));
      Vocabulary vocabulary = v.vocabulary(b);
      s.writeInt(vocabulary.size());
      char[] chars = vocabulary.chars();
      int[] offsets = vocabulary.offsets();
      for (int t = 0; t < vocabulary.size(); t++) {
        byte[] utf8 = new String(chars, offsets[t], offsets[t + 1] - offsets[t]).getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        while (n >= 0x80) {
          s.writeByte((n & 0x7f) | 0x80);
          n >>>= 7;
        }
        s.writeByte(n);
        s.write(utf8);
      }
    }
    for (int f = 0; f < v.featureCount(); f++) {
      s.writeDouble(v.idf(f));
    }
  }

  private static Vectorizer features(ByteBuffer in) throws ModelFormatException {
    boolean sublinear = in.get() != 0;
    int blockCount = count(in, 1);
    FeatureBlock[] blocks = new FeatureBlock[blockCount];
    Vocabulary[] vocabularies = new Vocabulary[blockCount];
    int total = 0;
    for (int b = 0; b < blockCount; b++) {
      int kind = in.get();
      int minN = in.get() & 0xff;
      int maxN = in.get() & 0xff;
      int minToken = in.get() & 0xff;
      if (kind != 0 && kind != 1) {
        throw new ModelFormatException("model file is malformed: unknown feature kind " + kind);
      }
      blocks[b] = new FeatureBlock(kind == 0 ? FeatureBlock.Kind.WORD : FeatureBlock.Kind.CHAR_WB, minN, maxN,
          minToken);
      int terms = count(in, 1);
      int[] offsets = new int[terms + 1];
      char[] chars = new char[Math.min(in.remaining(), terms * 8 + 16)];
      int at = 0;
      for (int t = 0; t < terms; t++) {
        int length = 0;
        int shift = 0;
        int octet;
        do {
          octet = in.get() & 0xff;
          length |= (octet & 0x7f) << shift;
          shift += 7;
        } while ((octet & 0x80) != 0 && shift < 35);
        if (length < 0 || length > in.remaining()) {
          throw new ModelFormatException("model file is malformed: a term overruns the file");
        }
        if (chars.length < at + length) {
          chars = java.util.Arrays.copyOf(chars, Math.max(chars.length * 2, at + length));
        }
        int pos = in.position();
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
          byte c = in.get(pos + i);
          if (c < 0) {
            ascii = false;
            break;
          }
          chars[at + i] = (char) c;
        }
        if (ascii) {
          at += length;
        } else {
          String term = new String(in.array(), pos, length, StandardCharsets.UTF_8);
          term.getChars(0, term.length(), chars, at);
          at += term.length();
        }
        in.position(pos + length);
        offsets[t + 1] = at;
      }
      vocabularies[b] = Vocabulary.packed(java.util.Arrays.copyOf(chars, at), offsets);
      total += terms;
    }
    return new Vectorizer(blocks, vocabularies, doubles(in, total), sublinear);
  }

  private static int count(ByteBuffer in, int bytesEach) throws ModelFormatException {
    int n = in.getInt();
    if (n < 0 || (long) n * bytesEach > in.remaining()) {
      throw new ModelFormatException("model file is malformed: a count overruns the file");
    }
    return n;
  }

  private static double[] doubles(ByteBuffer in, int n) throws ModelFormatException {
    if ((long) n * 8 > in.remaining()) {
      throw new ModelFormatException("model file is malformed: numbers overrun the file");
    }
    double[] v = new double[n];
    in.asDoubleBuffer().get(v);
    in.position(in.position() + n * 8);
    return v;
  }

  private static String string(ByteBuffer in) throws ModelFormatException {
    int n = count(in, 1);
    String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private interface SectionWriter {
    void write(DataOutputStream out) throws IOException;
  }

  private static void section(DataOutputStream out, String tag, SectionWriter writer) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream s = new DataOutputStream(buffer);
    writer.write(s);
    s.flush();
    out.writeBytes(tag);
    out.writeInt(buffer.size());
    buffer.writeTo(out);
  }
}
