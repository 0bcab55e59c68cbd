/**
 * What the HTTP API, the server and the server's plugins share: secrets, setting errors,
 * suggestions for misspelt names, and the masking of passwords written into URLs.
 */
module io.errand.common {
  requires transitive io.errand.core;

  exports io.errand.common;
}
