/**
 * Predictions on predict's cold-start path, kept light on purpose: the latest model read with
 * a signed conditional GET ({@link io.intentpipeline.serving.S3ModelObject} over an
 * {@link io.intentpipeline.serving.HttpGetter}) and refreshed at most once per interval
 * ({@link io.intentpipeline.serving.LatestModel}), the request
 * ({@link io.intentpipeline.serving.PredictRequest}) and the answer written by hand
 * ({@link io.intentpipeline.serving.PredictionJson}). The SDK's S3 client and Jackson stay off this
 * path: their loading was measured (docs/ARCHITECTURE.md).
 *
 * <p>Used by: the predict function and the predict benchmark.
 */
package io.intentpipeline.serving;
