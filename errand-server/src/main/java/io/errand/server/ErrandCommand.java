package io.errand.server;

import io.errand.server.cli.BulkCommand;
import io.errand.server.cli.CancelCommand;
import io.errand.server.cli.FailuresCommand;
import io.errand.server.cli.KeysCommand;
import io.errand.server.cli.ScheduleCommand;
import io.errand.server.cli.SchedulesCommand;
import io.errand.server.cli.ListCommand;
import io.errand.server.cli.MonitorCommand;
import io.errand.server.cli.QueueCommand;
import io.errand.server.cli.QueuesCommand;
import io.errand.server.cli.StatusCommand;
import io.errand.server.cli.SubmitCommand;
import io.errand.server.plugin.InstalledPlugins;
import io.errand.server.plugin.ServerPlugin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code errand} program: one jar, one command per job. {@code serve} runs the server;
 * the client commands ({@code list}, {@code status}, {@code monitor}, ...) talk to one through
 * its HTTP API (docs/cli.md). Plugins ({@link ServerPlugin}, e.g. git-sync's {@code sync} and
 * {@code users}) add their own verbs: {@link #commandLine()}.
 */
@Command(name = "errand", mixinStandardHelpOptions = true, version = "errand 0.1.0",
    description = "Background tasks you can watch, cancel, retry and drain safely.",
    subcommands = {ServeCommand.class, DemoCommand.class, ListCommand.class,
        StatusCommand.class, FailuresCommand.class, BulkCommand.class, MonitorCommand.class,
        CancelCommand.class, SubmitCommand.class, QueuesCommand.class, QueueCommand.class,
        KeysCommand.class,
        SchedulesCommand.class, ScheduleCommand.class,
        ConfigCommand.class, CompletionCommand.class})
public final class ErrandCommand implements Runnable {
  @Spec
  CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with every verb, the plugins' of the program's class path included.
   *
   * @throws io.errand.common.SettingException when a plugin cannot be loaded
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ErrandCommand());
    for (ServerPlugin p : InstalledPlugins.of(ErrandCommand.class.getClassLoader())) {
      p.commands().forEach(cl::addSubcommand);
    }
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
