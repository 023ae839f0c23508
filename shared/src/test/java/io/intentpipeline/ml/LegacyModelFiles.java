package io.intentpipeline.ml;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * How src/test/resources/ml/model-format-v1.bin was made: the writer of format version 1 (kept
 * here, not in the product, which only reads version 1). Run its main from the shared module
 * with the test classpath to regenerate the file; the committed file is what the test reads.
 */
final class LegacyModelFiles {
  private LegacyModelFiles() {}

  public static void main(String[] args) throws IOException {
    TrainingProfile profile = Fixtures.smallDefault(false);
    IntentModel model = new Trainer(profile, Fixtures.CLOCK, 1).train(Fixtures.train(), List.of(), 1).model();
    model = model.withMetadata(model.metadata().withRun("legacy-run", "intent_classifier_20250102_030405"));
    Files.write(Path.of(args.length > 0 ? args[0] : "src/test/resources/ml/model-format-v1.bin"), writeV1(model));
  }

  /** Version 1: META without metrics, WGHT float32 without an encoding byte, CALB = one temperature. */
  static byte[] writeV1(IntentModel model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(ModelCodec.MAGIC);
    out.writeShort(1);
    section(out, "META", s -> {
      string(s, model.metadata().runId());
      string(s, model.metadata().modelVersion());
      string(s, model.metadata().profile());
      s.writeLong(model.metadata().createdAt().toEpochMilli());
      string(s, model.metadata().trainingConfig());
    });
    section(out, "INTS", s -> {
      s.writeInt(model.intents().size());
      for (String intent : model.intents()) {
        string(s, intent);
      }
    });
    byte[] v2 = ModelCodec.write(model);
    section(out, "FEAT", s -> s.write(sectionPayload(v2, "FEAT")));
    section(out, "WGHT", s -> {
      LinearWeights.Float32 w = (LinearWeights.Float32) model.weights();
      s.writeInt(w.features());
      s.writeInt(w.classes());
      for (float v : w.w()) {
        s.writeFloat(v);
      }
      for (double b : model.biases()) {
        s.writeDouble(b);
      }
    });
    section(out, "CALB", s -> s.writeDouble(((Calibration.Temperature) model.calibration()).temperature()));
    out.flush();
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeBytes("SUM ");
    out.writeInt(4);
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  private static byte[] sectionPayload(byte[] file, String tag) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(file);
    in.position(10);
    while (true) {
      byte[] t = new byte[4];
      in.get(t);
      int length = in.getInt();
      if (new String(t, StandardCharsets.US_ASCII).equals(tag)) {
        byte[] payload = new byte[length];
        in.get(payload);
        return payload;
      }
      in.position(in.position() + length);
    }
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void section(DataOutputStream out, String tag, Body body) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream s = new DataOutputStream(buffer);
    body.write(s);
    s.flush();
    out.writeBytes(tag);
    out.writeInt(buffer.size());
    buffer.writeTo(out);
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
