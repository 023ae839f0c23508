package io.intentpipeline.interaction;

/** One of the bot's ranked alternatives: an intent name and its confidence in [0, 1]. */
public record TopIntent(String intent, double confidence) {}
