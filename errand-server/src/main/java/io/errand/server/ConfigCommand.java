package io.errand.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code errand config ...}: work on config files without a server. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Works on config files without starting a server.",
    subcommands = ConfigCheckCommand.class)
final class ConfigCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
