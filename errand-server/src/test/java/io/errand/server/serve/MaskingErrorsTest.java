package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.memory.MemoryStore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server's store masks URL passwords in every part of a kept error: message, causes, stack
 * trace (which repeats the messages) and output.
 */
class MaskingErrorsTest {
  private static final String URL = "https://tester:s3cret@git.example/repo.git";

  @Test
  void noPartOfAKeptErrorHoldsAUrlPassword() throws Exception {
    try (Errand errand = Errand.builder().store(new PasswordMaskingStore(new MemoryStore()))
        .queue(QueueSpec.builder("sync", Object.class, ctx -> {
          throw new IllegalStateException("clone of " + URL + " failed",
              new java.io.IOException("cannot reach " + URL));
        }).attempts(1).build()).build()) {
      long id = errand.submit("sync", null);
      TaskInfo done = errand.await(id).get(30, TimeUnit.SECONDS);

      TaskError e = done.errors().get(0);
      assertThat(e.message()).doesNotContain("s3cret").contains("git.example/repo.git");
      assertThat(e.causes()).singleElement().satisfies(c ->
          assertThat(c.message()).doesNotContain("s3cret").contains("git.example"));
      assertThat(e.trace()).doesNotContain("s3cret").contains("Caused by: java.io.IOException");
    }
  }
}
