package io.guardstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/guardstream}: one subcommand per way of running GuardStream. */
@Command(name = "guardstream",
        mixinStandardHelpOptions = true,
        version = "GuardStream 0.1.0-SNAPSHOT",
        description = "Streaming moderation gateway for vision-language-model APIs.",
        subcommands = {StandaloneCommand.class, ServiceCommands.GatewayCommand.class,
                ServiceCommands.StreamProcessorCommand.class, ServiceCommands.ModelServerCommand.class,
                ServiceCommands.TrainCommand.class, ServiceCommands.EvalCommand.class, TailCommand.class,
                CommandLine.HelpCommand.class})
public final class GuardStreamCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new GuardStreamCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
