/**
 * Testing your own tasks: {@link io.errand.test.ErrandExtension} gives each JUnit 5 test a
 * {@link io.errand.test.TestErrand} on the memory store with a manual clock, to drain queues,
 * travel in time and assert what was submitted, with no sleep. See {@code docs/testing.md}.
 */
package io.errand.test;
