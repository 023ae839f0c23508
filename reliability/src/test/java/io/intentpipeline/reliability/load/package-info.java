/**
 * The local stack under concurrent clients ({@code ./pipeline benchmark load}, smaller here): every
 * interaction stored exactly once, the stack's heap flat. See docs/RELIABILITY.md.
 */
package io.intentpipeline.reliability.load;
