/**
 * JSON for the whole project, in one place: {@link io.intentpipeline.json.Json} (the Jackson
 * mapper and its read/write helpers, for bodies and reports), {@link io.intentpipeline.json.JsonLite}
 * (a strict hand-written reader of small request bodies, and the project's one JSON string escaper)
 * and {@link io.intentpipeline.json.JsonText} (a writer of plain maps and lists).
 *
 * <p>Why two hand-written parts beside Jackson: on predict's cold start and in a cold training JVM,
 * loading and warming Jackson was measured at a few hundred milliseconds; the hand-written reader and
 * writer keep it off those paths (docs/ARCHITECTURE.md).
 *
 * <p>Used by: every package; bad JSON is an {@link
 * io.intentpipeline.validation.InvalidRequestException} on field {@code body}.
 */
package io.intentpipeline.json;
