package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void wideCharactersTakeTwoColumnsSoTheNextColumnStaysInLine() {
    Table t = new Table("QUEUE", "LABEL", "WORKERS").alignRight(2);
    t.row("example", "示例任务", 10);
    t.row("mail", "Mail", 4);

    assertThat(t.lines()).containsExactly(
        "QUEUE    LABEL     WORKERS",
        "example  示例任务       10",
        "mail     Mail            4");
  }
}
