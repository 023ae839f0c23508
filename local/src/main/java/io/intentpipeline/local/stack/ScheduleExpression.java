package io.intentpipeline.local.stack;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(5 minutes)} or
 * {@code cron(minutes hours day-of-month month day-of-week year)} in UTC, with the EventBridge
 * syntax ({@code , - * / ?}, {@code L}, {@code W}, {@code #}, day names SUN-SAT = 1-7, month
 * names JAN-DEC). cron-utils parses the cron fields and finds the firings; the checks here are
 * the ones EventBridge makes that a cron-utils definition cannot express.
 */
final class ScheduleExpression {
  private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  private static final Pattern NTH_BEYOND_FIFTH = Pattern.compile(".*#([6-9]|\\d{2,})");
  private static final Pattern OUT_OF_RANGE = Pattern.compile("Value (\\S+) not in range \\[(\\d+), (\\d+)]");

  /** EventBridge's cron: no seconds, a year field, Sunday = 1, strict ranges (no wrapping such as FRI-MON). */
  private static final CronDefinition EVENTBRIDGE = CronDefinitionBuilder.defineCron()
      .withMinutes().withValidRange(0, 59).withStrictRange().and()
      .withHours().withValidRange(0, 23).withStrictRange().and()
      .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark()
      .withStrictRange().and()
      .withMonth().withValidRange(1, 12).withStrictRange().and()
      .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL().supportsQuestionMark()
      .withStrictRange().and()
      .withYear().withValidRange(1970, 2199).withStrictRange().and()
      .instance();

  private final String text;
  private final Duration rate;
  private final ExecutionTime cron;

  private ScheduleExpression(String text, Duration rate, ExecutionTime cron) {
    this.text = text;
    this.rate = rate;
    this.cron = cron;
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
      return new ScheduleExpression(trimmed, period, null);
    }
    Matcher cron = CRON.matcher(trimmed);
    if (!cron.matches()) {
      throw new TemplateException("Schedule '" + text + "' is neither rate(...) nor cron(...)");
    }
    String[] fields = cron.group(1).strip().toUpperCase(Locale.ROOT).split("\\s+");
    if (fields.length != 6) {
      throw new TemplateException("Schedule " + text + " must have 6 fields: minutes hours day-of-month month"
          + " day-of-week year");
    }
    if (fields[2].equals("?") == fields[4].equals("?")) {
      throw new TemplateException("Schedule " + text + ": exactly one of day-of-month and day-of-week must be ?");
    }
    if (NTH_BEYOND_FIFTH.matcher(fields[4]).matches()) {
      throw new TemplateException("Schedule " + text + ": the # of day-of-week must be 1-5");
    }
    try {
      return new ScheduleExpression(trimmed, null,
          ExecutionTime.forCron(new CronParser(EVENTBRIDGE).parse(String.join(" ", fields))));
    } catch (IllegalArgumentException e) {
      throw new TemplateException("Schedule " + text + ": " + reason(e.getMessage()));
    }
  }

  /** cron-utils' reason, in the words this class has always used for a value out of range. */
  private static String reason(String message) {
    String reason = message.replace("Failed to parse cron expression. ", "");
    return OUT_OF_RANGE.matcher(reason).replaceAll("$1 is out of $2-$3");
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
    // Firings fall on whole minutes: the next one after the minute holding after.
    ZonedDateTime minute = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    return cron.nextExecution(minute).map(ZonedDateTime::toInstant);
  }

  @Override
  public String toString() {
    return text;
  }
}
