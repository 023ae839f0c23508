/**
 * Datasets in and out: exports of the training data streamed from a database cursor to S3
 * and handed out as presigned URLs that expire, and imports of the seed's JSONL or CSV files stored as
 * imported samples, bad records reported by line.
 *
 * <p>Used by: the snapshot function and {@code ./pipeline import}.
 */
package io.intentpipeline.transfer;
