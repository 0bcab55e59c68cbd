/** The durable embedded store: one SQLite file, one owning process, one writer thread. */
module io.errand.sqlite {
  requires transitive io.errand.core;
  requires io.errand.jdbc;
  requires java.sql;
  requires org.slf4j;
  requires org.xerial.sqlitejdbc;

  exports io.errand.sqlite;
}
