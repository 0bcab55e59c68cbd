/** The JUnit 5 kit for testing an application's own tasks (docs/testing.md). */
module io.errand.test {
  requires transitive io.errand.core;
  requires transitive org.junit.jupiter.api;
  requires org.opentest4j;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.datatype.jdk8;

  exports io.errand.test;
}
