/** An Errand's metrics as a Micrometer {@code MeterBinder}, with or without Spring. */
module io.errand.micrometer {
  requires transitive io.errand.core;
  requires transitive micrometer.core;

  exports io.errand.micrometer;
}
