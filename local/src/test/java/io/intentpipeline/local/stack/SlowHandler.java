package io.intentpipeline.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.config.Env;
import java.io.InputStream;
import java.io.OutputStream;

/** A handler of the test template that outlives its 1-second timeout. */
public final class SlowHandler implements RequestStreamHandler {
  /** Needs nothing from {@code env}. */
  public SlowHandler(Env env) {
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    try {
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
