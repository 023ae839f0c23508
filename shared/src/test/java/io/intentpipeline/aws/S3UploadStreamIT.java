package io.intentpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.testing.TestStack;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Streamed uploads against a real S3 server (S3Proxy): one part, many parts, and aborted ones. */
class S3UploadStreamIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("s3upload");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static S3UploadStream stream(String key) {
    return new S3UploadStream(stack.s3(), new S3UploadStream.Target(stack.bucket(), key, "text/plain",
        "attachment; filename=\"x.txt\"", false), S3UploadStream.MIN_PART_SIZE);
  }

  private static byte[] download(String key) {
    return stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(key)).asByteArray();
  }

  @Test
  void anObjectSmallerThanAPartIsStoredWhole() throws IOException {
    // Arrange
    S3UploadStream upload = stream("small.txt");

    // Act
    upload.write("hello ".getBytes());
    upload.write('!');
    upload.close();

    // Assert
    assertThat(new String(download("small.txt"))).isEqualTo("hello !");
    assertThat(upload.size()).isEqualTo(7);
    assertThat(upload.partsSent()).isZero();
    var head = stack.s3().headObject(b -> b.bucket(stack.bucket()).key("small.txt"));
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(head.contentDisposition()).isEqualTo("attachment; filename=\"x.txt\"");
  }

  @Test
  void aLargerObjectIsSentPartByPartAndArrivesByteForByte() throws IOException {
    // Arrange: 12 MiB + 17 bytes in uneven writes, so writes straddle part boundaries.
    byte[] data = new byte[12 * 1024 * 1024 + 17];
    new Random(7).nextBytes(data);
    S3UploadStream upload = stream("large.bin");

    // Act
    int offset = 0;
    Random sizes = new Random(11);
    while (offset < data.length) {
      int n = Math.min(data.length - offset, 1 + sizes.nextInt(300_000));
      upload.write(data, offset, n);
      offset += n;
    }
    upload.close();

    // Assert: two full parts sent while writing, the rest as the third part on close.
    assertThat(upload.partsSent()).isEqualTo(3);
    assertThat(download("large.bin")).isEqualTo(data);
  }

  @Test
  void anAbortedUploadStoresNothingAndRefusesMoreBytes() throws IOException {
    // Arrange: more than one part, so a multipart upload is under way when it is aborted.
    S3UploadStream upload = stream("aborted.bin");
    upload.write(new byte[S3UploadStream.MIN_PART_SIZE + 10]);

    // Act
    upload.abort();
    upload.close();

    // Assert
    assertThat(upload.partsSent()).isEqualTo(1);
    assertThatThrownBy(() -> download("aborted.bin")).isInstanceOf(NoSuchKeyException.class);
    assertThat(stack.s3().listMultipartUploads(b -> b.bucket(stack.bucket())).uploads()).isEmpty();
    assertThatThrownBy(() -> upload.write(1)).isInstanceOf(IOException.class);
  }

  /** The real client, except that sending part {@code failing} fails as a lost connection does. */
  static final class FailingPart implements software.amazon.awssdk.services.s3.S3Client {
    private final software.amazon.awssdk.services.s3.S3Client real = stack.s3();
    private final int failing;

    FailingPart(int failing) {
      this.failing = failing;
    }

    @Override
    public software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse createMultipartUpload(
        software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest request) {
      return real.createMultipartUpload(request);
    }

    @Override
    public software.amazon.awssdk.services.s3.model.UploadPartResponse uploadPart(
        software.amazon.awssdk.services.s3.model.UploadPartRequest request,
        software.amazon.awssdk.core.sync.RequestBody body) {
      if (request.partNumber() == failing) {
        throw software.amazon.awssdk.core.exception.SdkClientException.create("connection reset (injected)");
      }
      return real.uploadPart(request, body);
    }

    @Override
    public software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse completeMultipartUpload(
        software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest request) {
      return real.completeMultipartUpload(request);
    }

    @Override
    public software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse abortMultipartUpload(
        software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest request) {
      return real.abortMultipartUpload(request);
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {
    }
  }

  @Test
  void aPartThatFailsInTheBackgroundSurfacesToTheWriterAndTheAbortLeavesNothing() throws IOException {
    // Arrange: the second part fails while the third fills.
    S3UploadStream upload = new S3UploadStream(new FailingPart(2), new S3UploadStream.Target(stack.bucket(),
        "broken.bin", "text/plain", null, false), S3UploadStream.MIN_PART_SIZE);
    byte[] chunk = new byte[64 * 1024];

    // Act: write until the failure shows (at the latest when the third part is handed over).
    Throwable failure = null;
    try {
      for (int i = 0; i < 4 * S3UploadStream.MIN_PART_SIZE / chunk.length; i++) {
        upload.write(chunk);
      }
      upload.close();
    } catch (RuntimeException e) {
      failure = e;
      upload.abort();
    }

    // Assert
    assertThat(failure).isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class)
        .hasMessageContaining("injected");
    assertThatThrownBy(() -> download("broken.bin")).isInstanceOf(NoSuchKeyException.class);
    assertThat(stack.s3().listMultipartUploads(b -> b.bucket(stack.bucket())).uploads()).isEmpty();
  }

  @Test
  void partsSmallerThanS3AllowsAreRefused() {
    assertThatThrownBy(() -> new S3UploadStream(stack.s3(), new S3UploadStream.Target(stack.bucket(), "k", "text/plain",
        null, false), 1024)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
  }
}
