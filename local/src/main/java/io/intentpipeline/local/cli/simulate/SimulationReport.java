package io.intentpipeline.local.cli.simulate;

import io.intentpipeline.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a simulation writes: {@code simulation.json} and the learning curves as one self-contained HTML page. */
public final class SimulationReport {
  /** The all-gold reference: the same profile trained on every gold label of the train file. */
  public record AllGold(double accuracy, double f1Macro) {}

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  private static final int WIDTH = 720;
  private static final int HEIGHT = 360;
  private static final int LEFT = 50;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 40;

  private SimulationReport() {}

  /** {@code simulation.json}: the settings, {@code all_gold} and every day of every strategy. */
  public static String json(Map<String, Object> settings, AllGold allGold, List<Simulation.Day> days) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("settings", settings);
    Map<String, Object> gold = new LinkedHashMap<>();
    gold.put("accuracy", allGold.accuracy());
    gold.put("f1_macro", allGold.f1Macro());
    root.put("all_gold", gold);
    root.put("days", days.stream().map(Simulation.Day::toJson).toList());
    return Json.write(root) + "\n";
  }

  /** The learning curves (true and reported macro F1 per day and strategy, the all-gold line) and the table. */
  public static String html(Map<String, Object> settings, AllGold allGold, Map<String, List<Simulation.Day>> byStrategy) {
    int maxDay = byStrategy.values().stream().flatMap(List::stream).mapToInt(Simulation.Day::day).max().orElse(1);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"learning curves\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    for (int i = 0; i <= 10; i++) {
      double y = y(i / 10.0);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
          + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.1f</text>%n",
          LEFT, WIDTH - RIGHT, y, y, LEFT - 6, y + 4, i / 10.0));
    }
    for (int d = 0; d <= maxDay; d++) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>%n",
          x(d, maxDay), HEIGHT - BOTTOM + 16, d));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">day</text>%n",
        (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6));
    double gy = y(allGold.f1Macro());
    svg.append(String.format(Locale.ROOT, "<line class=\"all-gold\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\""
        + " stroke=\"#000\" stroke-dasharray=\"2 3\"/>%n", LEFT, WIDTH - RIGHT, gy, gy));
    StringBuilder legend = new StringBuilder("<ul class=\"legend\">\n<li><span style=\"border-top:2px dotted #000\"></span>"
        + String.format(Locale.ROOT, "all gold labels: macro F1 %.4f</li>%n", allGold.f1Macro()));
    int c = 0;
    for (Map.Entry<String, List<Simulation.Day>> e : byStrategy.entrySet()) {
      String colour = COLOURS[c++ % COLOURS.length];
      String name = escape(e.getKey());
      List<String> truePoints = new ArrayList<>();
      List<String> reportedPoints = new ArrayList<>();
      for (Simulation.Day d : e.getValue()) {
        truePoints.add(String.format(Locale.ROOT, "%.1f,%.1f", x(d.day(), maxDay), y(d.trueF1Macro())));
        if (d.reportedF1Macro() != null) {
          reportedPoints.add(String.format(Locale.ROOT, "%.1f,%.1f", x(d.day(), maxDay), y(d.reportedF1Macro())));
        }
      }
      svg.append(String.format(Locale.ROOT, "<polyline class=\"true-f1\" data-strategy=\"%s\" fill=\"none\" stroke=\"%s\""
          + " stroke-width=\"2\" points=\"%s\"/>%n", name, colour, String.join(" ", truePoints)));
      svg.append(String.format(Locale.ROOT, "<polyline class=\"reported-f1\" data-strategy=\"%s\" fill=\"none\""
          + " stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" points=\"%s\"/>%n", name, colour,
          String.join(" ", reportedPoints)));
      legend.append(String.format(Locale.ROOT, "<li><span style=\"border-top:2px solid %s\"></span>%s: true macro F1"
          + " (gold test file)</li>%n<li><span style=\"border-top:2px dashed %s\"></span>%s: reported macro F1"
          + " (the run's own test split)</li>%n", colour, name, colour, name));
    }
    svg.append("</svg>\n");
    legend.append("</ul>\n");

    StringBuilder table = new StringBuilder("<table>\n<tr><th>strategy</th><th>day</th><th>traffic</th><th>reviewed</th>"
        + "<th>reviewed share</th><th>deployed</th><th>model version</th><th>true accuracy</th><th>true macro F1</th>"
        + "<th>reported macro F1</th></tr>\n");
    for (List<Simulation.Day> days : byStrategy.values()) {
      for (Simulation.Day d : days) {
        table.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%.3f</td><td>%s</td>"
                + "<td>%s</td><td>%.4f</td><td>%.4f</td><td>%s</td></tr>%n", escape(d.strategy()), d.day(), d.traffic(),
            d.reviewedTotal(), d.reviewedShare(), d.deployed() ? "yes" : "no",
            d.modelVersion() == null ? "-" : escape(d.modelVersion()), d.trueAccuracy(), d.trueF1Macro(),
            d.reportedF1Macro() == null ? "-" : String.format(Locale.ROOT, "%.4f", d.reportedF1Macro())));
      }
    }
    table.append("</table>\n");

    StringBuilder settingsList = new StringBuilder("<p class=\"settings\">");
    settings.forEach((k, v) -> settingsList.append(escape(k)).append(": ").append(escape(String.valueOf(v))).append("; "));
    settingsList.append("</p>\n");
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Simulation: learning curves</title>\n"
        + "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:13px}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}ul.legend{list-style:none;padding:0}"
        + "ul.legend span{display:inline-block;width:30px;margin-right:8px;vertical-align:middle}</style>\n"
        + "</head>\n<body>\n<h1>Simulation: learning curves</h1>\n" + settingsList
        + "<p>Macro F1 of the model in service after each day: measured on the gold test file the pipeline never sees"
        + " (true), and as the day's run reported it on its own test split (reported).</p>\n"
        + svg + legend + table + "</body>\n</html>\n";
  }

  private static double x(int day, int maxDay) {
    return LEFT + (WIDTH - LEFT - RIGHT) * (maxDay == 0 ? 0 : (double) day / maxDay);
  }

  private static double y(double value) {
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - Math.max(0, Math.min(1, value)));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
