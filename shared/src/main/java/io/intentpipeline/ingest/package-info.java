/**
 * The ingestion path, from request to row: {@link io.intentpipeline.ingest.RecordService}
 * (checks a whole request, assigns ids, sends to the interactions queue),
 * {@link io.intentpipeline.ingest.FlushService} (decodes a batch, stores it idempotently, reports
 * poison
 * messages alone) and {@link io.intentpipeline.ingest.RetrainTrigger} (asks for one retrain once enough
 * new samples arrived).
 *
 * <p>Used by: the record and flush functions, the local tools.
 */
package io.intentpipeline.ingest;
