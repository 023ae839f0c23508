package io.intentpipeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What is redacted and what is left alone; the formats docs/PRIVACY.md lists. */
class RedactorTest {
  private final Redactor redactor = Redactor.standard();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      my card 4111 1111 1111 1111 was declined       | my card [CARD] was declined
      card 4111-1111-1111-1111.                       | card [CARD].
      4111111111111111                                | [CARD]
      amex 3782 822463 10005 please                   | amex [CARD] please
      card 4111 1111 1111 1111 exp 12/27              | card [CARD] exp 12/27
      IBAN DE89 3704 0044 0532 0130 00 thanks         | IBAN [IBAN] thanks
      to GB29NWBK60161331926819.                      | to [IBAN].
      to gb29 nwbk 6016 1331 9268 19                  | to [IBAN]
      mail John.Smith+bank@example.co.uk now          | mail [EMAIL] now
      (jörg.müller@web.de)                            | ([EMAIL])
      call +44 20 7946 0958 today                     | call [PHONE] today
      call +44 (0)20 7946 0958                        | call [PHONE]
      ring (212) 555-0147                             | ring [PHONE]
      ring 212-555-0147 or 212.555.0147               | ring [PHONE] or [PHONE]
      1-800-555-0199                                  | [PHONE]
      020 7946 0958                                   | [PHONE]
      07700 900123                                    | [PHONE]
      01 23 45 67 89                                  | [PHONE]
      0044 20 7946 0958                               | [PHONE]
      mobile (0171 1234567) changed                   | mobile ([PHONE]) changed
      """)
  void replacesPersonalDataWithTypedPlaceholders(String text, String expected) {
    assertThat(redactor.apply(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      card 4111 1111 1111 1112 (Luhn fails)
      IBAN DE88 3704 0044 0532 0130 00 (check digits fail)
      I was charged £1,250.00 on 12/05/2026 at 14:30
      the card ending in 4821 expired 2026-12-05
      sort code 12-34-56, account 12345678, ref TX-88213-A
      top up 05.12.2026 failed, code 123456, app v2.3.1
      follow @support or write to support at example dot com
      order A1234567890123456 shipped
      my card still hasn't arrived
      """)
  void leavesLookAlikesAlone(String text) {
    Redaction result = redactor.redact(text);

    assertThat(result.text()).isEqualTo(text);
    assertThat(result.any()).isFalse();
    assertThat(result.kinds()).isEmpty();
  }

  @Test
  void namesEachKindFoundOnce() {
    Redaction result = redactor.redact("a@b.io, c@d.io, 4111 1111 1111 1111, +33 6 12 34 56 78");

    assertThat(result.text()).isEqualTo("[EMAIL], [EMAIL], [CARD], [PHONE]");
    assertThat(result.kinds()).containsExactly("card", "email", "phone");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    String once = redactor.apply("pay DE89370400440532013000 or call +49 30 12345678, mail a.b@c.de");

    assertThat(redactor.apply(once)).isEqualTo(once);
  }

  @Test
  void onlyTheConfiguredKindsAreRedacted() {
    Redactor cardsOnly = Redactor.fromEnv(Env.of(Map.of("REDACT_PERSONAL_DATA", "card")));

    assertThat(cardsOnly.apply("4111 1111 1111 1111 a@b.io")).isEqualTo("[CARD] a@b.io");
  }

  @Test
  void noneTurnsRedactionOff() {
    Redactor off = Redactor.fromEnv(Env.of(Map.of("REDACT_PERSONAL_DATA", "none")));

    assertThat(off.enabled()).isFalse();
    assertThat(off.apply("4111 1111 1111 1111 a@b.io")).isEqualTo("4111 1111 1111 1111 a@b.io");
  }

  @Test
  void theDefaultRedactsEveryBuiltInKind() {
    Redactor fromEmpty = Redactor.fromEnv(Env.of(Map.of()));

    assertThat(fromEmpty.kinds()).isEqualTo(Redactor.ALL);
  }

  @Test
  void theOperatorsPatternNamesItsPlaceholdersByGroup() {
    Redactor extra = Redactor.fromEnv(Env.of(Map.of(
        "REDACT_EXTRA_PATTERN", "(?<account>\\bACC-\\d{8}\\b)|(?<policy>\\bPOL\\d{6}\\b)")));

    Redaction result = extra.redact("account ACC-12345678, policy POL123456, mail a@b.io");

    assertThat(result.text()).isEqualTo("account [ACCOUNT], policy [POLICY], mail [EMAIL]");
    assertThat(result.kinds()).containsExactly("email", "account", "policy");
  }

  @Test
  void anUnnamedOperatorPatternGivesRedacted() {
    Redactor extra = Redactor.of(0, Pattern.compile("secret-\\d+"));

    assertThat(extra.redact("code secret-42").text()).isEqualTo("code [REDACTED]");
    assertThat(extra.redact("code secret-42").kinds()).isEqualTo(List.of("redacted"));
  }

  @Test
  void aWrongConfigurationFailsNamingTheVariable() {
    assertThatThrownBy(() -> Redactor.fromEnv(Env.of(Map.of("REDACT_PERSONAL_DATA", "card,ssn"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("REDACT_PERSONAL_DATA").hasMessageContaining("ssn");
    assertThatThrownBy(() -> Redactor.fromEnv(Env.of(Map.of("REDACT_EXTRA_PATTERN", "(unclosed"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("REDACT_EXTRA_PATTERN");
    assertThatThrownBy(() -> Redactor.fromEnv(Env.of(Map.of("REDACT_EXTRA_PATTERN", "x*"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("empty text");
  }

  @Test
  void aTextWithoutPersonalDataIsReturnedAsItIs() {
    String text = "how do I change my PIN?";

    assertThat(redactor.redact(text).text()).isSameAs(text);
  }
}
