/**
 * The intent classifier: TF-IDF feature blocks fitted, then frozen ({@code VectorizerFitter}
 * makes a {@code Vectorizer}), one-vs-rest linear SVMs through liblinear-java (only
 * {@code LiblinearAdapter} touches it), calibrated confidences, the immutable
 * {@link io.intentpipeline.ml.IntentModel}, its evaluation, and the versioned model file
 * ({@link io.intentpipeline.ml.ModelCodec}; never Java serialization), and the answer policy
 * that turns a prediction into an action (answer, clarify, escalate; chosen on held-out samples by
 * {@code AnswerPolicyFitter}, docs/ANSWER_ACTIONS.md). No database, no AWS.
 *
 * <p>Used by: pipeline, serving, the local tools: {@code Trainer}, {@code TrainingProfile}, {@code
 * IntentModel}, {@code Prediction}, {@code Evaluator}, {@code Evaluation}, {@code ModelCodec}, {@code
 * ModelMetadata}, {@code ModelFormatException}, {@code Action}, {@code AnswerPolicy}, {@code
 * AnswerPolicyFitter}, {@code AnswerPolicyJson}, {@code ActionEvaluation}; the rest is package-private.
 */
package io.intentpipeline.ml;
