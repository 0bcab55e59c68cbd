/** The cluster store: many nodes on one PostgreSQL database. */
module io.errand.postgres {
  requires transitive io.errand.core;
  requires transitive java.sql;
  requires io.errand.jdbc;
  requires org.slf4j;
  requires org.postgresql.jdbc;
  requires com.zaxxer.hikari;

  exports io.errand.postgres;
}
