package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.NonRetryableException;
import io.errand.api.ProgramOutput;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a failed attempt keeps for people: causes, a bounded stack trace, a program's output. */
class ErrorDetailTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** An exception from a program that printed something before it failed. */
  static final class ProgramFailed extends RuntimeException implements ProgramOutput {
    ProgramFailed(String message) {
      super(message);
    }

    @Override
    public String outputTail() {
      return "step 1\nstep 2: no space left";
    }
  }

  @Test
  void aFailedTaskKeepsTheCauseChainAndAStackTraceCutAtTheLimit() {
    try (Errand errand = Errand.builder().errorTraceLimit(300)
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          throw new IllegalStateException("import failed",
              new UncheckedIOException("read failed", new IOException("disk gone")));
        }).attempts(1).build())
        .build()) {
      long id = errand.submit("q", null);
      TaskInfo done = Await.finished(errand, id);

      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      TaskError e = done.errors().get(0);
      assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
      assertThat(e.message()).isEqualTo("import failed");
      assertThat(e.causes()).containsExactly(
          new TaskError.Cause(UncheckedIOException.class.getName(), "read failed"),
          new TaskError.Cause(IOException.class.getName(), "disk gone"));
      assertThat(e.trace()).startsWith("java.lang.IllegalStateException: import failed")
          .contains("ErrorDetailTest").containsPattern("\\n\\.\\.\\. \\d+ more characters$");
      assertThat(e.trace().lines().toList().getLast()).startsWith("... ");
      assertThat(e.trace().length()).isLessThan(300 + 40);
      assertThat(e.output()).isEmpty();
    }
  }

  @Test
  void aNonRetryableExceptionIsKeptUnderItsCausesTypeAndAProgramsOutputApart() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("wrapped", Object.class, ctx -> {
          throw new NonRetryableException("account 7 is closed",
              new IllegalArgumentException("no account 7", new ProgramFailed("exit code 3")));
        }).attempts(5).build())
        .queue(QueueSpec.builder("program", Object.class, ctx -> {
          throw new ProgramFailed("exit code 1");
        }).attempts(1).build())
        .build()) {
      TaskInfo wrapped = Await.finished(errand, errand.submit("wrapped", null));
      TaskInfo program = Await.finished(errand, errand.submit("program", null));

      assertThat(wrapped.attempt()).isEqualTo(1); // not retried
      TaskError w = wrapped.errors().get(0);
      assertThat(w.type()).isEqualTo(IllegalArgumentException.class.getName());
      assertThat(w.message()).isEqualTo("account 7 is closed");
      assertThat(w.causes()).containsExactly(
          new TaskError.Cause(ProgramFailed.class.getName(), "exit code 3"));
      assertThat(w.output()).isEqualTo("step 1\nstep 2: no space left");
      assertThat(w.trace()).startsWith(NonRetryableException.class.getName());

      TaskError p = program.errors().get(0);
      assertThat(p.message()).isEqualTo("exit code 1");
      assertThat(p.output()).isEqualTo("step 1\nstep 2: no space left");
    }
  }

  @Test
  void aTraceLimitOfZeroKeepsNoTraceAndABadLimitIsRefusedNamingIt() {
    try (Errand errand = Errand.builder().errorTraceLimit(0)
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          throw new IllegalStateException("boom");
        }).attempts(1).build())
        .build()) {
      TaskInfo done = Await.finished(errand, errand.submit("q", null));
      assertThat(done.errors()).extracting(TaskError::trace).containsExactly("");
    }
    assertThatThrownBy(() -> Errand.builder().errorTraceLimit(-1).build())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("errorTraceLimit must be between 0 and 1048576, was -1");
    assertThat(TaskError.of(1, new IllegalStateException("x"), T0, 5).trace())
        .isEqualTo("java.\n... " + (TaskError.of(1, new IllegalStateException("x"), T0,
            TaskError.MAX_TRACE_LIMIT).trace().length() - 5) + " more characters");
    assertThat(new TaskError(1, "t", null, T0, null, null, null).causes()).isEqualTo(List.of());
  }
}
