/**
 * Errand's core: the API an application uses ({@code io.errand.api}), the store SPI a store
 * implements ({@code io.errand.spi}) and the in-memory store ({@code io.errand.memory}). The
 * engine ({@code io.errand.engine}) is not exported: it is reached only through
 * {@link io.errand.api.Errand#builder()}.
 */
module io.errand.core {
  requires transitive com.fasterxml.jackson.databind;
  requires transitive java.sql;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires org.slf4j;

  exports io.errand.api;
  exports io.errand.spi;
  exports io.errand.memory;
}
