package io.errand.api;

/**
 * An exception from a program a handler ran, carrying the last lines the program printed. The
 * engine keeps them in {@link TaskError#output()}, apart from the message, so that failures of
 * one kind group by message while each keeps its own output.
 */
public interface ProgramOutput {
  /** The last lines the program printed, already bounded and masked; never null. */
  String outputTail();
}
