/**
 * Personal data: {@link io.intentpipeline.privacy.Redactor} replaces card numbers, IBANs, e-mail
 * addresses, phone numbers and operator-defined patterns with typed placeholders before anything
 * is stored or classified; {@link io.intentpipeline.privacy.Erasure} erases one end user's or one
 * conversation's data on request; {@link io.intentpipeline.privacy.Retention} deletes old rows no
 * human reviewed (docs/PRIVACY.md).
 *
 * <p>Used by: ingest (record), serving (predict, which loads {@code Redactor} and
 * {@code Redaction} only), transfer (import), the snapshot function (erasure and retention).
 */
package io.intentpipeline.privacy;
