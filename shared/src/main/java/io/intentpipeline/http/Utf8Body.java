package io.intentpipeline.http;

import io.intentpipeline.validation.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request body's bytes as text, strictly: bytes that are not UTF-8 are refused (400 naming the
 * byte offset), never replaced by U+FFFD and stored as if the caller had sent that.
 */
public final class Utf8Body {
  private Utf8Body() {}

  /** The text of {@code bytes}; {@link InvalidRequestException} on {@code body} when they are not UTF-8. */
  public static String decode(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new InvalidRequestException("body", "Request body is not valid UTF-8: the byte at offset "
          + in.position() + " does not begin or continue a UTF-8 character; send the text encoded as UTF-8");
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
