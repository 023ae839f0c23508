package io.intentpipeline.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.config.Env;
import java.io.InputStream;
import java.io.OutputStream;

/** A handler of the test template that always throws. */
public final class FailingHandler implements RequestStreamHandler {
  /** Needs nothing from {@code env}. */
  public FailingHandler(Env env) {
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    throw new IllegalStateException("always fails");
  }
}
