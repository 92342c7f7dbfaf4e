package dev.imagebatch.examples;

import dev.imagebatch.examples.command.BenchCommand;
import dev.imagebatch.examples.command.DemoCommand;
import dev.imagebatch.examples.command.ExitCodes;
import dev.imagebatch.examples.command.ProcessCommand;
import dev.imagebatch.examples.command.ResumeCommand;
import dev.imagebatch.examples.command.ServeCommand;
import dev.imagebatch.examples.command.StatusCommand;
import dev.imagebatch.examples.command.WorkerCommand;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line of the examples jar: {@code demo}, {@code process}, {@code status},
 * {@code resume}, {@code serve}, {@code worker} and {@code bench}. Each command is one class in
 * {@link dev.imagebatch.examples.command}; {@code --help} on any of them describes its flags.
 */
@Command(name = "imagebatch-examples", mixinStandardHelpOptions = true, version = "imagebatch examples 0.1.0",
        description = "Turn CSV files of product image URLs into compressed images and an output CSV.",
        subcommands = {DemoCommand.class, ProcessCommand.class, StatusCommand.class, ResumeCommand.class,
                ServeCommand.class, WorkerCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Start with: java -jar imagebatch-examples.jar demo"})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    /** Without a command, shows the usage and fails. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command.");
    }

    /** Runs the command line and exits with the command's exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, ready to {@link CommandLine#execute execute}; tests set its output and error
     * writers to capture them. A bad command line and an unexpected exception both exit with
     * {@link ExitCodes#ERROR}, since 1 and 2 mean image failures and an invalid CSV here.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        applyExitCodes(commandLine);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            failed.getErr().println("error: " + describe(exception));
            failed.getErr().flush();
            return ExitCodes.ERROR;
        });
        return commandLine;
    }

    private static void applyExitCodes(CommandLine commandLine) {
        commandLine.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.ERROR);
        commandLine.getCommandSpec().exitCodeOnExecutionException(ExitCodes.ERROR);
        commandLine.getSubcommands().values().forEach(Main::applyExitCodes);
    }

    private static String describe(Throwable exception) {
        Throwable cause = exception;
        while (cause instanceof ExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.toString() : message;
    }
}
