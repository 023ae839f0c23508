package io.intentpipeline.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server (S3Proxy) in this JVM on a loopback port, checking AWS v2/v4 signatures.
 *
 * <p>Objects live in memory ({@link #inMemory}) or under a folder ({@link #onDisk}), so that a
 * local stack keeps its models across restarts.
 */
public final class EmbeddedS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "local";
  public static final String SECRET_KEY = "local-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;

  private EmbeddedS3(S3Proxy proxy, BlobStoreContext context) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A server whose objects vanish when it stops. */
  public static EmbeddedS3 inMemory(int port) {
    return start(ContextBuilder.newBuilder("transient"), port);
  }

  /** A server whose objects live under {@code folder} (created when missing). */
  public static EmbeddedS3 onDisk(Path folder, int port) {
    try {
      Files.createDirectories(folder);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot create the S3 data folder " + folder, e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
    return start(ContextBuilder.newBuilder("filesystem").overrides(properties), port);
  }

  private static EmbeddedS3 start(ContextBuilder builder, int port) {
    BlobStoreContext context = builder
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build(BlobStoreContext.class);
    BlobStore store = context.getBlobStore();
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start within 30 s");
        }
        Thread.sleep(5);
      }
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("Cannot start S3Proxy: " + e.getMessage(), e);
    }
    return new EmbeddedS3(proxy, context);
  }

  /** The endpoint to give the AWS SDK ({@code endpointOverride}, path-style addressing). */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop S3Proxy", e);
    } finally {
      context.close();
    }
  }
}
