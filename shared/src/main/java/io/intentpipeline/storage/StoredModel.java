package io.intentpipeline.storage;

/** A model object: its key, its bytes (possibly empty when only the tag is known) and its entity tag. */
public record StoredModel(String key, byte[] bytes, String etag) {}
