package io.intentpipeline.predict;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;

/** Counts the GET requests an S3 client sends, by the status S3 answered: 200 (downloaded), 304, others. */
final class GetCounter implements ExecutionInterceptor {
  final AtomicInteger downloaded = new AtomicInteger();
  final AtomicInteger notModified = new AtomicInteger();
  final AtomicInteger other = new AtomicInteger();

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    if (context.httpRequest().method() != SdkHttpMethod.GET) {
      return;
    }
    switch (context.httpResponse().statusCode()) {
      case 200 -> downloaded.incrementAndGet();
      case 304 -> notModified.incrementAndGet();
      default -> other.incrementAndGet();
    }
  }

  int total() {
    return downloaded.get() + notModified.get() + other.get();
  }
}
