package io.errand.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Pause, resume and drain of one queue, from {@link Errand#control(String)}. The pause is kept
 * by the store, not by this process: on a durable store a paused queue stays paused across
 * restarts, and on a store several nodes share (PostgreSQL) it stops the claims of every node.
 * While paused, the queue still takes submits (they wait), running tasks go on to their end,
 * and no task of the queue starts. Thread-safe; every method reads or changes the store.
 */
public interface QueueControl {

  /** The queue's name. */
  String queue();

  /**
   * Stops the queue's claims. When it returns, no claim that begins after it takes a task of
   * the queue, on any node; a task claimed just before may still start, within the store's
   * pickup latency. Publishes {@link EventType#QUEUE_PAUSED} when the queue was running.
   *
   * @return true if the queue was running and is now paused, false if it was paused already
   */
  boolean pause();

  /**
   * Lets the queue's tasks be claimed again, waking idle workers on every node. Publishes
   * {@link EventType#QUEUE_RESUMED} when the queue was paused.
   *
   * @return true if the queue was paused and now runs, false if it was not paused
   */
  boolean resume();

  /** Whether the queue is paused now. */
  boolean isPaused();

  /** When the current pause began, or empty if the queue runs. */
  Optional<Instant> pausedSince();

  /**
   * Why the queue's due tasks do not start now, or empty when they may: it is paused ("queue
   * 'mail' is paused since ..."), or its {@link QueueSpec#concurrency() concurrency limit} is
   * reached ("concurrency limit of queue 'mail': 3 of 3 running"). A task that stays WAITING
   * though it is due shows this as the reason. Reads the store.
   */
  Optional<String> holdReason();

  /**
   * Why {@code task}, a WAITING task of this queue, does not start now though it is due, or
   * empty: as {@link #holdReason()}, or a limit of the task's concurrency key or a rate limit
   * ("rate limit of queue 'mail': 100/1m, next slot in 12s", "concurrency limit of key 'acme'
   * in queue 'mail': 1 of 1 running"). By default the queue's reason only. Reads the store.
   */
  default Optional<String> holdReason(TaskInfo task) {
    return holdReason();
  }

  /**
   * Pauses the queue (as {@link #pause()}) and waits until none of its tasks runs, on any node,
   * or until {@code deadline} has passed. The queue stays paused either way; {@link #resume()}
   * lets it run again. What is still running at the deadline goes on running.
   *
   * @param deadline how long to wait at most; zero only pauses and looks once
   * @return whether it drained, and how many tasks still ran if it did not
   * @throws IllegalArgumentException if {@code deadline} is negative or longer than
   *     {@link Errand#LONGEST_DURATION}
   * @throws NullPointerException     if {@code deadline} is null
   */
  DrainReport drain(Duration deadline);

  /**
   * How a {@link #drain} ended.
   *
   * @param queue   the queue
   * @param drained true if no task of the queue ran when it returned
   * @param running how many of its tasks still ran then (0 when drained)
   * @param waited  how long it waited
   */
  record DrainReport(String queue, boolean drained, long running, Duration waited) {}
}
