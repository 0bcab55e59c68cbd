package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.server.handler.ProgressLine.Progress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces that read a program's output: progress lines and bounded tails. */
class ExecOutputTest {

  @Test
  void progressLinesOfEachForm() {
    assertThat(ProgressLine.parse("::progress 3/10 copying part 3"))
        .contains(new Progress(3, 10, "copying part 3"));
    assertThat(ProgressLine.parse("::progress 40%")).contains(new Progress(40, 100, null));
    assertThat(ProgressLine.parse("::progress 12.5% resizing"))
        .contains(new Progress(12, 100, "resizing"));
    assertThat(ProgressLine.parse("::progress 250% over")).contains(new Progress(100, 100,
        "over"));
    assertThat(ProgressLine.parse("::progress 1200 rows read"))
        .contains(new Progress(1200, 0, "rows read"));
    assertThat(ProgressLine.parse("::progress   7/9   spaced  out  "))
        .contains(new Progress(7, 9, "spaced  out"));
  }

  @Test
  void linesThatOnlyLookLikeProgressAreOrdinaryOutput() {
    assertThat(ProgressLine.parse("progress 3/10")).isEmpty();
    assertThat(ProgressLine.parse("::progress")).isEmpty();
    assertThat(ProgressLine.parse("::progress soon")).isEmpty();
    assertThat(ProgressLine.parse("::progress -3/10")).isEmpty();
    assertThat(ProgressLine.parse("::progress 3/ten")).isEmpty();
    assertThat(ProgressLine.parse("::progressive 3/10")).isEmpty();
    assertThat(ProgressLine.parse("::progress 99999999999999999999/1")).isEqualTo(
        Optional.empty());
  }

  @Test
  void aTailKeepsTheLastLinesWithinItsBounds() {
    OutputTail lines = new OutputTail(3, 1000);
    for (int i = 1; i <= 5; i++) {
      lines.add("line " + i);
    }
    assertThat(lines.text()).isEqualTo("line 3\nline 4\nline 5");

    OutputTail chars = new OutputTail(100, 10);
    chars.add("aaaa");
    chars.add("bbbb");
    chars.add("cccc");
    assertThat(chars.text()).isEqualTo("bbbb\ncccc");
    chars.add("0123456789abcdef");
    assertThat(chars.text()).isEqualTo("6789abcdef");
  }
}
