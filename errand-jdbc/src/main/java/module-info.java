/**
 * What the SQL stores share: row mapping, paging, payload checks and open state. Only Errand's
 * own stores read it.
 */
module io.errand.jdbc {
  requires transitive io.errand.core;
  requires java.sql;
  requires org.slf4j;

  exports io.errand.jdbc to io.errand.sqlite, io.errand.postgres;
}
