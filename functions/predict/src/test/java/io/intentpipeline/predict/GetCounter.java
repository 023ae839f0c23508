package io.intentpipeline.predict;

import io.intentpipeline.serving.HttpGetter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the GET requests that go over the wire to S3, by the status S3 answered: 200 (a
 * download), 304 (not modified), others. Wraps the function's own {@link HttpGetter}.
 */
final class GetCounter {
  final AtomicInteger downloaded = new AtomicInteger();
  final AtomicInteger notModified = new AtomicInteger();
  final AtomicInteger other = new AtomicInteger();
  final AtomicInteger conditional = new AtomicInteger();

  /** {@code wire}, counting each request it sends. */
  HttpGetter around(HttpGetter wire) {
    return (uri, headers) -> {
      if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("If-None-Match"))) {
        conditional.incrementAndGet();
      }
      HttpGetter.Response response = wire.get(uri, headers);
      switch (response.status()) {
        case 200 -> downloaded.incrementAndGet();
        case 304 -> notModified.incrementAndGet();
        default -> other.incrementAndGet();
      }
      return response;
    };
  }

  int total() {
    return downloaded.get() + notModified.get() + other.get();
  }
}
