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

  @Test
  void partsSmallerThanS3AllowsAreRefused() {
    assertThatThrownBy(() -> new S3UploadStream(stack.s3(), new S3UploadStream.Target(stack.bucket(), "k", "text/plain",
        null, false), 1024)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
  }
}
