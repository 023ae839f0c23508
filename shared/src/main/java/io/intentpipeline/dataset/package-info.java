/**
 * Training samples and dataset files: {@link io.intentpipeline.dataset.TrainingSample}, the
 * seed's JSONL and CSV formats read in constant memory into a {@link
 * io.intentpipeline.dataset.SampleSink},
 * cleaning as the original system did ({@link io.intentpipeline.dataset.DatasetCleaner}), seeded
 * stratified splits and statistics. No database, no AWS.
 *
 * <p>Used by: ml, pipeline, transfer, the local tools.
 */
package io.intentpipeline.dataset;
