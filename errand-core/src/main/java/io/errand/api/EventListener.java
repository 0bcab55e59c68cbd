package io.errand.api;

/**
 * Receives events. Each listener has its own delivery thread and bounded buffer: a slow
 * listener delays only itself, and when its buffer is full its newest events are dropped (and
 * counted, and logged once) rather than slowing a worker. A listener that throws is logged once
 * by name and goes on receiving.
 */
@FunctionalInterface
public interface EventListener {
  /**
   * Handles one event.
   *
   * @param event the event
   * @throws Exception anything; it is logged once with the listener named, and the listener
   *                   keeps receiving events
   */
  void onEvent(TaskEvent event) throws Exception;
}
