package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.ml.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Model files fuzzed: a real model file (trained here) truncated, bit-flipped, with its header,
 * version, section lengths and inner counts edited (then its checksum recomputed, so the parser
 * itself is exercised and not only the checksum), random bytes, and Java-serialized object
 * streams. Each must load as a model that predicts, or fail with {@link ModelFormatException};
 * nothing else may come out of {@link ModelCodec#read(byte[])}.
 */
class ModelFileFuzzTest {
  private static final int SUM = 12;

  @Test
  void everyDamagedModelFileLoadsCleanlyOrFailsWithTheFormatError() throws Exception {
    Fuzz fuzz = new Fuzz("model-file");
    byte[] good = TinyModel.bytes();
    List<int[]> sections = sections(good);
    Tally tally = new Tally("model files (ModelCodec.read)", fuzz.seed);
    int n = fuzz.iterations(20_000);
    for (int i = 0; i < n; i++) {
      String kind;
      byte[] bytes;
      switch (fuzz.nextInt(8)) {
        case 0 -> {
          kind = "truncated";
          bytes = java.util.Arrays.copyOf(good, fuzz.nextInt(good.length));
        }
        case 1 -> {
          kind = "bit flips";
          bytes = flip(fuzz, good.clone(), 1 + fuzz.nextInt(8));
        }
        case 2 -> {
          kind = "bit flips, checksum fixed";
          bytes = resum(flip(fuzz, good.clone(), 1 + fuzz.nextInt(4)));
        }
        case 3 -> {
          kind = "header edited";
          bytes = good.clone();
          if (fuzz.chance(0.5)) {
            ByteBuffer.wrap(bytes).putShort(8, (short) fuzz.pick(new Integer[] {0, 1, 3, 255, 65535}).intValue());
          } else {
            bytes[fuzz.nextInt(8)] ^= (byte) (1 + fuzz.nextInt(255));
          }
          bytes = fuzz.chance(0.5) ? resum(bytes) : bytes;
        }
        case 4 -> {
          kind = "section length edited";
          bytes = good.clone();
          int[] section = fuzz.pick(sections);
          ByteBuffer.wrap(bytes).putInt(section[0] + 4, oddInt(fuzz, section[1]));
          bytes = resum(bytes);
        }
        case 5 -> {
          kind = "count edited";
          bytes = good.clone();
          int[] section = fuzz.pick(sections);
          if (section[1] >= 4) {
            int at = section[0] + 8 + fuzz.nextInt(section[1] - 3);
            ByteBuffer.wrap(bytes).putInt(at, oddInt(fuzz, section[1]));
          }
          bytes = resum(bytes);
        }
        case 6 -> {
          kind = "random bytes";
          byte[] random = fuzz.randomBytes(2000);
          if (fuzz.chance(0.5) && random.length >= 10) {
            System.arraycopy("INTENTML".getBytes(StandardCharsets.US_ASCII), 0, random, 0, 8);
            random[8] = 0;
            random[9] = (byte) (1 + fuzz.nextInt(2));
            random = fuzz.chance(0.7) ? resum(random) : random;
          }
          bytes = random;
        }
        default -> {
          kind = "Java serialization stream";
          bytes = javaSerialized(fuzz);
        }
      }
      try {
        IntentModel model = ModelCodec.read(bytes);
        Prediction p = model.predict("where is my card " + i, 3);
        if (p.intent() == null || !Double.isFinite(p.confidence())) {
          tally.failed(i, kind + ": loaded a model whose prediction is " + p, hex(bytes));
        } else {
          tally.answered(true, kind + ": loaded");
        }
      } catch (ModelFormatException e) {
        assertThat(e.getMessage()).isNotBlank();
        tally.answered(false, kind + ": format error");
      } catch (Throwable e) {
        tally.failed(i, kind + ": " + e, hex(bytes));
      }
    }
    tally.report();
  }

  /** Offsets and lengths of the file's sections (tag at offset, length at offset + 4). */
  static List<int[]> sections(byte[] file) {
    List<int[]> out = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(file);
    int at = 10;
    while (at < file.length - SUM) {
      int length = in.getInt(at + 4);
      out.add(new int[] {at, length});
      at += 8 + length;
    }
    out.add(new int[] {file.length - SUM, 4});
    return out;
  }

  private static int oddInt(Fuzz fuzz, int near) {
    return switch (fuzz.nextInt(7)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Integer.MAX_VALUE;
      case 3 -> Integer.MIN_VALUE;
      case 4 -> near + 1;
      case 5 -> near - 1;
      default -> fuzz.nextInt(1 << 16);
    };
  }

  private static byte[] flip(Fuzz fuzz, byte[] bytes, int bits) {
    for (int b = 0; b < bits; b++) {
      int at = fuzz.nextInt(bytes.length);
      bytes[at] ^= (byte) (1 << fuzz.nextInt(8));
    }
    return bytes;
  }

  /** The file with its trailing CRC-32C recomputed over everything before it. */
  static byte[] resum(byte[] bytes) {
    if (bytes.length < SUM) {
      return bytes;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - SUM);
    ByteBuffer out = ByteBuffer.wrap(bytes);
    out.put(bytes.length - SUM, "SUM ".getBytes(StandardCharsets.US_ASCII));
    out.putInt(bytes.length - 8, 4);
    out.putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  static byte[] javaSerialized(Fuzz fuzz) {
    try {
      var bytes = new ByteArrayOutputStream();
      try (var out = new ObjectOutputStream(bytes)) {
        HashMap<String, Object> map = new HashMap<>();
        map.put("intents", new ArrayList<>(List.of("a", "b")));
        map.put("weights", new double[] {1, 2});
        out.writeObject(fuzz == null || fuzz.chance(0.5) ? map : "INTENTML");
      }
      return bytes.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return bytes.length + " bytes: " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64));
  }
}
