package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.common.Redaction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redaction of the URLs and texts the http handler (and others) print. */
class HttpRedactionTest {

  @Test
  void urlCredentialsAreMasked() {
    assertThat(Redaction.url("https://user:pass@example.com/a?b=1"))
        .isEqualTo("https://****@example.com/a?b=1");
    assertThat(Redaction.url("https://ghp_token123@github.com/o/r.git"))
        .isEqualTo("https://****@github.com/o/r.git");
    assertThat(Redaction.url("user:pass@example.com/x")).isEqualTo("****@example.com/x");
    assertThat(Redaction.url("https://example.com/a@b")).isEqualTo("https://example.com/a@b");
    assertThat(Redaction.url("https://example.com/")).isEqualTo("https://example.com/");
    assertThat(Redaction.url(null)).isNull();
  }

  @Test
  void credentialNamedQueryParametersAreMasked() {
    assertThat(Redaction.url("https://h/x?access_token=abc&page=2&api_key=k&sig=s#frag"))
        .isEqualTo("https://h/x?access_token=****&page=2&api_key=****&sig=****#frag");
    assertThat(Redaction.queryCredentials("token=a%2Bb&x=1")).containsExactly("a%2Bb", "a+b");
  }

  @Test
  void scrubMasksEverySecretWhateverItsCase() {
    assertThat(Redaction.scrub("got Bearer AbCdEf and abcdef-long", List.of("abcdef",
        "abcdef-long")))
        .isEqualTo("got Bearer **** and ****");
    assertThat(Redaction.scrub("a b c", List.of("a", ""))).isEqualTo("a b c");
  }
}
