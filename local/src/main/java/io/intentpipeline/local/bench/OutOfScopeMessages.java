package io.intentpipeline.local.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Messages a banking support bot (BANKING77's 77 intents) has no intent for: an online shop's
 * orders, sizes and returns (the demo's domain), and everyday requests (weather, travel, food,
 * devices, small talk). Generated from templates written for this project: 6 topics of 8 templates
 * and 12 fillers. Each topic's templates are split in two halves, one for training and one for the
 * test (288 messages each), so that a test message is phrased unlike any training message.
 */
final class OutOfScopeMessages {
  private record Topic(List<String> templates, List<String> fillers) {}

  private static final List<Topic> TOPICS = List.of(
      new Topic(List.of("where is the {} I ordered last week", "has my {} shipped yet", "my {} order still has not arrived",
          "can I change the delivery address for the {} I bought", "how long does shipping take for a {}",
          "the {} you sent me is the wrong colour", "tracking says my {} was delivered but it is not here",
          "I want to cancel my order for the {}"),
          List.of("sweater", "pair of shoes", "jacket", "backpack", "lamp", "coffee table", "dress", "phone case",
              "winter coat", "desk chair", "rug", "set of plates")),
      new Topic(List.of("do you have this {} in a larger size", "which size of {} should I pick if I am 180 cm",
          "is the {} true to size", "what is the {} made of", "can I return a {} that I wore once",
          "is the {} machine washable", "will the {} be back in stock soon", "what colours does the {} come in"),
          List.of("hoodie", "t-shirt", "pair of jeans", "running shoe", "skirt", "blazer", "scarf", "boot",
              "raincoat", "polo shirt", "swimsuit", "cardigan")),
      new Topic(List.of("what will the weather be like in {} tomorrow", "is it going to rain in {} this weekend",
          "how do I get from the airport to the centre of {}", "what are the best restaurants in {}",
          "recommend a hotel near the station in {}", "what time is it in {} right now",
          "which museums should I visit in {}", "how cold does {} get in winter"),
          List.of("Lisbon", "Madrid", "Berlin", "Tokyo", "Toronto", "Sydney", "Paris", "Rome", "Oslo", "Dublin",
              "Prague", "Chicago")),
      new Topic(List.of("give me a recipe for {}", "how long should I cook {}", "what wine goes well with {}",
          "is {} healthy to eat every day", "how many calories are in {}", "can I freeze {}",
          "what can I use instead of {} in a cake", "how do I make {} without an oven"),
          List.of("lasagne", "banana bread", "chicken curry", "pancakes", "risotto", "brownies", "lentil soup",
              "pizza dough", "butter", "salmon", "apple pie", "rice pudding")),
      new Topic(List.of("my {} will not turn on", "how do I reset my {} to factory settings",
          "why is my {} so slow", "the screen of my {} is cracked, can you fix it", "how do I connect my {} to wifi",
          "my {} battery drains very fast", "which {} should I buy this year", "how do I update the software on my {}"),
          List.of("laptop", "printer", "smart tv", "tablet", "router", "game console", "smartwatch", "camera",
              "headphones", "e-reader", "speaker", "monitor")),
      new Topic(List.of("tell me a joke about {}", "who won the last {} match", "what is your favourite {}",
          "can you recommend a good {}", "do you like {}", "write me a short poem about {}",
          "what do you think about {}", "let's talk about {}"),
          List.of("football", "cats", "movies", "music", "the ocean", "chess", "basketball", "podcasts", "gardening",
              "history", "dinosaurs", "the moon")));

  private OutOfScopeMessages() {}

  /** The training half: {@code count} distinct messages (at most what the templates make). */
  static List<String> train(int count, long seed) {
    return generate(0, count, seed);
  }

  /** The test half: {@code count} distinct messages, none phrased like a training one. */
  static List<String> test(int count, long seed) {
    return generate(1, count, seed);
  }

  private static List<String> generate(int half, int count, long seed) {
    List<String> all = new ArrayList<>();
    for (Topic topic : TOPICS) {
      for (int t = half; t < topic.templates().size(); t += 2) {
        for (int f = 0; f < topic.fillers().size(); f++) {
          all.add(topic.templates().get(t).replace("{}", topic.fillers().get(f)));
        }
      }
    }
    java.util.Collections.shuffle(all, new Random(seed));
    Set<String> chosen = new LinkedHashSet<>(all.subList(0, Math.min(count, all.size())));
    return List.copyOf(chosen);
  }
}
