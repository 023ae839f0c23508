package io.intentpipeline.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An S3 object written as a stream, in constant memory: bytes fill a buffer of one part, and each
 * full part is sent while the next one fills (one part in flight on a thread of its own, so the
 * writer's work and the network overlap; two part buffers in all). An object that fits in one part
 * is one PutObject; a larger one is a multipart upload, completed by {@link #close()}.
 *
 * <p>A writer that fails part-way must call {@link #abort()} instead of {@link #close()}: closing
 * would store the truncated object, aborting stores nothing and frees the parts already sent.
 */
public final class S3UploadStream extends OutputStream {
  /** S3's smallest part (every part but the last); also the default part size. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  /** S3's largest number of parts in one upload. */
  static final int MAX_PARTS = 10_000;

  /** What to store with the object, and whether to send checksums (emulators refuse them). */
  public record Target(String bucket, String key, String contentType, String contentDisposition, boolean checksums) {
    public Target {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(contentType, "contentType");
    }
  }

  private final S3Client s3;
  private final Target target;
  private byte[] buffer;
  /** The buffer of the part in flight, reused for the part after the next. */
  private byte[] spare;
  private int count;
  private long size;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private ExecutorService sender;
  private Future<CompletedPart> inFlight;
  private int started;
  private boolean finished;

  /** A stream to {@code target} sending parts of {@code partSize} bytes (at least {@value #MIN_PART_SIZE}). */
  public S3UploadStream(S3Client s3, Target target, int partSize) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("partSize must be at least " + MIN_PART_SIZE + " bytes, got " + partSize);
    }
    this.s3 = s3;
    this.target = target;
    this.buffer = new byte[partSize];
  }

  /** Bytes written so far. */
  public long size() {
    return size;
  }

  /** Parts handed to S3 so far (0 while the object still fits in one part). */
  public int partsSent() {
    return started;
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (count == buffer.length) {
      sendPart();
    }
    buffer[count++] = (byte) b;
    size++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    ensureOpen();
    while (length > 0) {
      if (count == buffer.length) {
        sendPart();
      }
      int n = Math.min(length, buffer.length - count);
      System.arraycopy(bytes, offset, buffer, count, n);
      count += n;
      size += n;
      offset += n;
      length -= n;
    }
  }

  /** Stores the object: everything written, and nothing else. Does nothing after {@link #abort()}. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    try {
      if (uploadId == null) {
        var request = software.amazon.awssdk.services.s3.model.PutObjectRequest.builder()
            .bucket(target.bucket()).key(target.key())
            .contentType(target.contentType()).contentDisposition(target.contentDisposition());
        s3.putObject(request.build(), RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, count), count));
      } else {
        if (count > 0) {
          sendPart();
        }
        awaitInFlight();
        s3.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts)));
      }
      finished = true;
      stopSender();
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  /**
   * Gives up: nothing is stored, and the parts already sent are discarded. Never throws (it runs
   * while another failure is on its way); a part it cannot discard is left to the bucket's
   * lifecycle rule for incomplete uploads.
   */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    if (inFlight != null) {
      // Let the part in flight end first: aborting while it is sent could leave it behind.
      try {
        inFlight.get();
      } catch (ExecutionException | RuntimeException ignored) {
        // the upload is given up anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight = null;
    }
    stopSender();
    if (uploadId != null) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
      } catch (RuntimeException ignored) {
        // the lifecycle rule of the bucket removes incomplete uploads
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (finished) {
      throw new IOException("The upload of " + target.key() + " is already closed or aborted");
    }
  }

  /** Starts sending the full buffer as the next part, once the part before it has arrived. */
  private void sendPart() {
    if (uploadId == null) {
      var create = software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest.builder()
          .bucket(target.bucket()).key(target.key())
          .contentType(target.contentType()).contentDisposition(target.contentDisposition());
      if (target.checksums()) {
        // The parts carry CRC32 checksums, so the upload must announce that algorithm.
        create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
      }
      uploadId = s3.createMultipartUpload(create.build()).uploadId();
      sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "s3-upload-" + target.key());
        thread.setDaemon(true);
        return thread;
      });
    }
    awaitInFlight();
    int number = parts.size() + 1;
    if (number > MAX_PARTS) {
      throw new IllegalStateException("The object " + target.key() + " needs more than " + MAX_PARTS + " parts");
    }
    byte[] full = buffer;
    int length = count;
    buffer = spare != null ? spare : new byte[full.length];
    spare = full;
    count = 0;
    started++;
    inFlight = sender.submit(() -> uploadPart(number, full, length));
  }

  private CompletedPart uploadPart(int number, byte[] bytes, int length) {
    var request = software.amazon.awssdk.services.s3.model.UploadPartRequest.builder()
        .bucket(target.bucket()).key(target.key()).uploadId(uploadId).partNumber(number)
        .contentLength((long) length);
    if (target.checksums()) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    UploadPartResponse response = s3.uploadPart(request.build(),
        RequestBody.fromInputStream(new ByteArrayInputStream(bytes, 0, length), length));
    return CompletedPart.builder().partNumber(number).eTag(response.eTag())
        .checksumCRC32(response.checksumCRC32()).build();
  }

  /** Waits for the part in flight, if any, and records it; its failure is rethrown as it was. */
  private void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    try {
      parts.add(inFlight.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while a part of " + target.key() + " was sent", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("Sending a part of " + target.key() + " failed", e.getCause());
    } finally {
      inFlight = null;
    }
  }

  private void stopSender() {
    if (sender != null) {
      sender.shutdownNow();
      sender = null;
    }
  }
}
