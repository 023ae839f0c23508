package io.intentpipeline.transfer;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * A finished export: where it is ({@code bucket}, {@code key}), a presigned GET {@code url} that
 * works until {@code expiresAt} ({@code expiresInSeconds} after it was signed), and what it holds
 * ({@code rows} samples, {@code bytes} bytes, in {@code format}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExportResult(
    String url,
    @JsonSerialize(using = ToStringSerializer.class) Instant expiresAt,
    long expiresInSeconds,
    String bucket,
    String key,
    String format,
    long rows,
    long bytes,
    @JsonSerialize(using = ToStringSerializer.class) Instant createdAt) {}
