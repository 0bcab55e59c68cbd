package io.errand.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code errand} program: one jar, one command per job. */
@Command(name = "errand", mixinStandardHelpOptions = true, version = "errand 0.1.0",
    description = "Background tasks you can watch, cancel, retry and drain safely.",
    subcommands = {ServeCommand.class, DemoCommand.class})
public final class ErrandCommand implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ErrandCommand()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
