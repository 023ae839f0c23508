package io.intentpipeline.local.stack;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(5 minutes)} or
 * {@code cron(minutes hours day-of-month month day-of-week year)} in UTC, with the EventBridge
 * syntax ({@code , - * / ?}, {@code L}, {@code W}, {@code #}, day names SUN-SAT = 1-7, month
 * names JAN-DEC).
 */
final class ScheduleExpression {
  private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
      Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
      Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
      "FRI", 6, "SAT", 7);
  private static final int HORIZON_YEARS = 8;

  private final String text;
  private final Duration rate;
  private final BitSet minutes;
  private final BitSet hours;
  private final DayRule days;
  private final BitSet months;
  private final BitSet years;

  private ScheduleExpression(String text, Duration rate, BitSet minutes, BitSet hours, DayRule days, BitSet months,
                             BitSet years) {
    this.text = text;
    this.rate = rate;
    this.minutes = minutes;
    this.hours = hours;
    this.days = days;
    this.months = months;
    this.years = years;
  }

  /** Parses {@code text}; a {@link TemplateException} says what is wrong with it. */
  static ScheduleExpression parse(String text) {
    String trimmed = text.strip();
    Matcher rate = RATE.matcher(trimmed);
    if (rate.matches()) {
      long value = Long.parseLong(rate.group(1));
      String unit = rate.group(2);
      if (value <= 0) {
        throw new TemplateException("Schedule " + text + ": the rate must be a positive number");
      }
      if ((value == 1) == unit.endsWith("s")) {
        throw new TemplateException("Schedule " + text + ": use the singular unit for 1 and the plural otherwise"
            + " (rate(1 hour), rate(5 hours)), as EventBridge requires");
      }
      Duration period = switch (unit.charAt(0)) {
        case 'm' -> Duration.ofMinutes(value);
        case 'h' -> Duration.ofHours(value);
        default -> Duration.ofDays(value);
      };
      return new ScheduleExpression(trimmed, period, null, null, null, null, null);
    }
    Matcher cron = CRON.matcher(trimmed);
    if (!cron.matches()) {
      throw new TemplateException("Schedule '" + text + "' is neither rate(...) nor cron(...)");
    }
    String[] fields = cron.group(1).strip().split("\\s+");
    if (fields.length != 6) {
      throw new TemplateException("Schedule " + text + " must have 6 fields: minutes hours day-of-month month"
          + " day-of-week year");
    }
    try {
      BitSet minutes = set(fields[0], 0, 59, Map.of());
      BitSet hours = set(fields[1], 0, 23, Map.of());
      BitSet months = set(fields[3], 1, 12, MONTHS);
      BitSet years = set(fields[5], 1970, 2199, Map.of());
      DayRule days = DayRule.parse(fields[2], fields[4]);
      return new ScheduleExpression(trimmed, null, minutes, hours, days, months, years);
    } catch (IllegalArgumentException e) {
      throw new TemplateException("Schedule " + text + ": " + e.getMessage());
    }
  }

  /** The fixed period of a {@code rate(...)} expression; empty for a cron expression. */
  Optional<Duration> rate() {
    return Optional.ofNullable(rate);
  }

  /** The first firing strictly after {@code after}; empty when a cron expression never fires again. */
  Optional<Instant> nextAfter(Instant after) {
    if (rate != null) {
      return Optional.of(after.plus(rate));
    }
    ZonedDateTime from = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDate day = from.toLocalDate();
    LocalDate last = day.plusYears(HORIZON_YEARS);
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!years.get(day.getYear())) {
        if (years.nextSetBit(day.getYear()) < 0) {
          return Optional.empty();
        }
        day = day.with(TemporalAdjusters.lastDayOfYear());
        continue;
      }
      if (!months.get(day.getMonthValue())) {
        day = day.with(TemporalAdjusters.lastDayOfMonth());
        continue;
      }
      if (!days.matches(day)) {
        continue;
      }
      boolean first = day.equals(from.toLocalDate());
      for (int h = hours.nextSetBit(first ? from.getHour() : 0); h >= 0; h = hours.nextSetBit(h + 1)) {
        int startMinute = first && h == from.getHour() ? from.getMinute() : 0;
        int m = minutes.nextSetBit(startMinute);
        if (m >= 0) {
          return Optional.of(day.atTime(h, m).toInstant(ZoneOffset.UTC));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }

  /** The day-of-month and day-of-week fields; EventBridge requires one of them to be {@code ?}. */
  private record DayRule(BitSet daysOfMonth, boolean lastDay, boolean lastWeekday, int nearestWeekdayTo,
                         BitSet daysOfWeek, int lastOfWeekday, int nthWeekday, int nth) {
    static DayRule parse(String dom, String dow) {
      boolean anyDom = dom.equals("?");
      boolean anyDow = dow.equals("?");
      if (anyDom == anyDow) {
        throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be ?");
      }
      if (anyDow) {
        if (dom.equals("L")) {
          return new DayRule(null, true, false, 0, null, 0, 0, 0);
        }
        if (dom.equals("LW")) {
          return new DayRule(null, false, true, 0, null, 0, 0, 0);
        }
        Matcher w = Pattern.compile("(\\d{1,2})W").matcher(dom);
        if (w.matches()) {
          int n = Integer.parseInt(w.group(1));
          if (n < 1 || n > 31) {
            throw new IllegalArgumentException("day-of-month " + n + " is out of 1-31");
          }
          return new DayRule(null, false, false, n, null, 0, 0, 0);
        }
        return new DayRule(set(dom, 1, 31, Map.of()), false, false, 0, null, 0, 0, 0);
      }
      String upper = dow.toUpperCase(Locale.ROOT);
      Matcher last = Pattern.compile("(\\d|[A-Z]{3})L").matcher(upper);
      if (last.matches()) {
        return new DayRule(null, false, false, 0, null, value(last.group(1), 1, 7, DAYS), 0, 0);
      }
      Matcher nth = Pattern.compile("(\\d|[A-Z]{3})#(\\d)").matcher(upper);
      if (nth.matches()) {
        int n = Integer.parseInt(nth.group(2));
        if (n < 1 || n > 5) {
          throw new IllegalArgumentException("the # of day-of-week must be 1-5, got " + n);
        }
        return new DayRule(null, false, false, 0, null, 0, value(nth.group(1), 1, 7, DAYS), n);
      }
      return new DayRule(null, false, false, 0, set(upper, 1, 7, DAYS), 0, 0, 0);
    }

    boolean matches(LocalDate day) {
      int eventBridgeDow = day.getDayOfWeek().getValue() % 7 + 1;
      int length = day.lengthOfMonth();
      if (daysOfMonth != null) {
        return daysOfMonth.get(day.getDayOfMonth());
      }
      if (lastDay) {
        return day.getDayOfMonth() == length;
      }
      if (lastWeekday) {
        return day.equals(weekdayNear(day.withDayOfMonth(length)));
      }
      if (nearestWeekdayTo > 0) {
        return nearestWeekdayTo <= length && day.equals(weekdayNear(day.withDayOfMonth(nearestWeekdayTo)));
      }
      if (daysOfWeek != null) {
        return daysOfWeek.get(eventBridgeDow);
      }
      if (lastOfWeekday > 0) {
        return eventBridgeDow == lastOfWeekday && day.getDayOfMonth() + 7 > length;
      }
      return eventBridgeDow == nthWeekday && (day.getDayOfMonth() - 1) / 7 + 1 == nth;
    }

    /** The weekday nearest to {@code target} within its month. */
    private static LocalDate weekdayNear(LocalDate target) {
      DayOfWeek dow = target.getDayOfWeek();
      if (dow == DayOfWeek.SATURDAY) {
        return target.getDayOfMonth() > 1 ? target.minusDays(1) : target.plusDays(2);
      }
      if (dow == DayOfWeek.SUNDAY) {
        return target.getDayOfMonth() < target.lengthOfMonth() ? target.plusDays(1) : target.minusDays(2);
      }
      return target;
    }
  }

  private static BitSet set(String field, int min, int max, Map<String, Integer> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : field.toUpperCase(Locale.ROOT).split(",")) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("empty list item in '" + field + "'");
      }
      int step = 1;
      String base = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        base = part.substring(0, slash);
        try {
          step = Integer.parseInt(part.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad step in '" + part + "'");
        }
        if (step <= 0) {
          throw new IllegalArgumentException("bad step in '" + part + "'");
        }
      }
      int from;
      int to;
      if (base.equals("*")) {
        from = min;
        to = max;
      } else if (base.contains("-")) {
        String[] ends = base.split("-", 2);
        from = value(ends[0], min, max, names);
        to = value(ends[1], min, max, names);
        if (to < from) {
          throw new IllegalArgumentException("range '" + base + "' runs backwards");
        }
      } else {
        from = value(base, min, max, names);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String text, int min, int max, Map<String, Integer> names) {
    Integer named = names.get(text);
    int value;
    if (named != null) {
      value = named;
    } else {
      try {
        value = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a valid value");
      }
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " is out of " + min + "-" + max);
    }
    return value;
  }
}
