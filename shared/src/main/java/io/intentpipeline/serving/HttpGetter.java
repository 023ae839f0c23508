package io.intentpipeline.serving;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sends one HTTP GET and reads its whole answer: the wire under {@link S3ModelObject}, and the
 * seam where tests watch what goes over it.
 */
public interface HttpGetter {
  /** What came back: the status, the ETag header (null if none) and the body (empty if none). */
  record Response(int status, String etag, byte[] body) {}

  /** GETs {@code uri} with {@code headers}; network failures are IOExceptions. */
  Response get(URI uri, Map<String, List<String>> headers) throws IOException;

  /**
   * The JDK's HttpURLConnection (what the SDK's url-connection client wraps) with these timeouts.
   * The connection is closed after each request: the next one comes a refresh interval later, and
   * no open connection may be frozen into a SnapStart snapshot.
   */
  static HttpGetter urlConnection(Duration connectTimeout, Duration readTimeout) {
    return (uri, headers) -> {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      try {
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setReadTimeout((int) readTimeout.toMillis());
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        // Host is set by the connection itself, from the same URI the signature covers.
        headers.forEach((name, values) -> {
          if (!name.equalsIgnoreCase("host")) {
            values.forEach(value -> connection.addRequestProperty(name, value));
          }
        });
        int status = connection.getResponseCode();
        String etag = connection.getHeaderField("ETag");
        InputStream in = status >= 400 ? connection.getErrorStream() : status == 304 ? null : connection.getInputStream();
        byte[] body = in == null ? new byte[0] : status == 200 ? readExactly(in, connection.getContentLengthLong())
            : in.readNBytes(4096);
        return new Response(status, etag, body);
      } finally {
        connection.disconnect();
      }
    };
  }

  private static byte[] readExactly(InputStream in, long contentLength) throws IOException {
    if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 16) {
      return in.readAllBytes();
    }
    // One exact allocation: a model file is megabytes and the function's heap is small.
    byte[] bytes = new byte[(int) contentLength];
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read != bytes.length) {
      throw new IOException("the body ended after " + read + " of " + contentLength + " bytes");
    }
    return bytes;
  }
}
