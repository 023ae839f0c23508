/**
 * Training runs: one at a time whatever starts them ({@link io.intentpipeline.pipeline.TrainingService}
 * with its advisory {@code TrainingLock}), each run a sequence of stages (fetch, clean, train,
 * evaluate,
 * deploy, record) in {@link io.intentpipeline.pipeline.TrainingPipeline}, the deploy gate
 * ({@code new_f1 >= baseline_f1 - margin}), the deploy itself (write, verify, copy over latest), the
 * run's reports (JSON and a self-contained HTML page), the runs table, and the retrain queue's
 * messages.
 *
 * <p>Used by: the train function and the local tools: {@code TrainingService}, {@code
 * TrainingPipeline}, {@code TrainingSettings}, {@code RunOptions}, {@code RunRequest}, {@code
 * RunOutcome}, {@code RunType}, {@code Trigger}, {@code RetrainMessage}, {@code TrainingRuns}.
 */
package io.intentpipeline.pipeline;
