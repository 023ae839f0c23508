/**
 * Security checks: no route or resource without authorization in the template, SQL built only from
 * constants with bound parameters (traced in the byte code), no Java deserialization, exports only
 * through presigned URLs that expire, and no message text in any function's logs. See
 * docs/RELIABILITY.md.
 */
package io.intentpipeline.reliability.security;
